/**
 * Test helpers (not exported from the package): a tiny model config and a deterministic token
 * stream with structure a tiny model can learn.
 */
import type { ModelConfigInput } from "./model-config.js";

/** vocab 64, width 32, 2 layers, 2 heads, context 16: trains in milliseconds per step. */
export const TINY: ModelConfigInput = { vocabSize: 64, nEmbd: 32, nLayer: 2, nHead: 2, seqLen: 16 };

/** A learnable stream: repeating short patterns over a 64-token vocabulary. */
export function patternTokens(length: number, seed = 1): number[] {
  const out: number[] = [];
  let s = seed;
  for (let i = 0; i < length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out.push(i % 8 === 0 ? (s >>> 16) % 64 : ((out[i - 1] ?? 0) * 5 + 3) % 64);
  }
  return out;
}
