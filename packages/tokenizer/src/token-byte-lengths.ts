/**
 * tokenByteLengths: the number of UTF-8 bytes each id stands for, used by @llm/model to turn a
 * loss in nats per token into bits per byte (a measure that does not depend on the vocabulary).
 * Special tokens count 0 bytes (they are not text), as do ids a vocabulary does not use.
 * Reference: nanochat `get_token_bytes` / `evaluate_bpb`. Leaves out: nothing else.
 */
import type { Tokenizer } from "@llm/core";
import { BpeTokenizer } from "./bpe-tokenizer.js";

export function tokenByteLengths(tokenizer: Tokenizer): Int32Array {
  const lengths = new Int32Array(tokenizer.vocabSize);
  const specialIds = new Set(tokenizer.specialTokens.values());
  for (let id = 0; id < tokenizer.vocabSize; id++) {
    if (specialIds.has(id)) continue;
    if (tokenizer instanceof BpeTokenizer) {
      try {
        lengths[id] = tokenizer.tokenLength(id);
      } catch {
        // An unused id (a gap below a special token): 0 bytes.
      }
      continue;
    }
    try {
      lengths[id] = tokenizer.tokenBytes(id).length;
    } catch {
      // An unused id: 0 bytes.
    }
  }
  return lengths;
}
