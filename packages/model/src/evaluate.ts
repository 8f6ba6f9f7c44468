/**
 * evaluate: validation loss (mean next-token cross-entropy, masked when batches carry a mask) and
 * bits per byte over a fixed number of batches. Bits per byte divides the summed loss in bits by
 * the UTF-8 bytes of the target tokens, so it compares models with different tokenizers; tokens
 * of zero bytes (special tokens) are left out of both sums. The source's position is restored
 * afterwards, so every evaluation sees the same batches.
 * Reference: nanochat's evaluate_bpb. Leaves out: multi-worker reduction.
 */
import type { BatchSource } from "@llm/core";
import * as tf from "@tensorflow/tfjs-core";
import { batchTensors } from "./compute-gradients.js";
import type { GPT } from "./gpt.js";

export interface EvaluateOptions {
  /** Number of batches to read. Default 4. */
  batches?: number;
  /** UTF-8 byte length of every token id (@llm/tokenizer's tokenByteLengths); enables bits per byte. */
  tokenBytes?: Int32Array;
}

export interface EvaluateResult {
  /** Mean cross-entropy in nats per (unmasked) token. */
  loss: number;
  /** Bits per byte, when tokenBytes was given. */
  bpb?: number;
  /** Tokens that counted in the loss. */
  tokens: number;
}

export async function evaluate(
  model: GPT,
  source: BatchSource,
  options: EvaluateOptions = {},
): Promise<EvaluateResult> {
  const start = source.position();
  const count = options.batches ?? 4;
  const tokenBytes = options.tokenBytes;
  let lossSum = 0;
  let lossCount = 0;
  let bitsNats = 0;
  let bytes = 0;
  try {
    for (let b = 0; b < count; b++) {
      const batch = await source.next();
      const t = batchTensors(batch);
      const logp = tf.tidy(() => model.tokenLogProbs(t.inputs, t.targets)); // [B, T]
      const values = (await logp.data()) as Float32Array;
      logp.dispose();
      t.inputs.dispose();
      t.targets.dispose();
      t.mask?.dispose();
      for (let i = 0; i < values.length; i++) {
        const weight = batch.mask === undefined ? 1 : (batch.mask[i] as number);
        if (weight === 0) continue;
        const nll = -(values[i] as number);
        lossSum += weight * nll;
        lossCount += weight;
        if (tokenBytes !== undefined) {
          const n = tokenBytes[batch.targets[i] as number] ?? 0;
          if (n > 0) {
            bitsNats += nll;
            bytes += n;
          }
        }
      }
    }
  } finally {
    source.restore(start);
  }
  const result: EvaluateResult = {
    loss: lossCount > 0 ? lossSum / lossCount : Number.NaN,
    tokens: lossCount,
  };
  if (tokenBytes !== undefined) result.bpb = bytes > 0 ? bitsNats / Math.LN2 / bytes : Number.NaN;
  return result;
}
