/**
 * tokenTexts: each vocabulary token's text, decoded once, as the decoding guards read it when
 * they scan every token for a logits row. A token that decodes to a piece of a multi-byte
 * character (U+FFFD in its text) has no text of its own (undefined); what a special token
 * (<|bos|>, <|python_end|>, ...) reads as is the guard's choice: its literal name, no text, or "".
 * Reference: the per-token string tables of grammar-constrained decoders (llama.cpp's GBNF
 * sampler, Outlines' vocabulary index), built once per tokenizer.
 * Leaves out: byte-level matching across tokens (a guard that must see a multi-byte character
 * whole works on its own); not exported from the package.
 */
import type { Tokenizer } from "@llm/core";

/** How a special token reads: its decoded name ("keep"), no text ("none"), or "" ("empty"). */
export type SpecialTokenText = "keep" | "none" | "empty";

/** Every token's text, by id; undefined for pieces of multi-byte characters (and, with "none", special tokens). */
export function tokenTexts(tokenizer: Tokenizer, special: SpecialTokenText = "keep"): (string | undefined)[] {
  const specialIds = new Set(tokenizer.specialTokens.values());
  const texts: (string | undefined)[] = [];
  for (let id = 0; id < tokenizer.vocabSize; id++) {
    if (special !== "keep" && specialIds.has(id)) {
      texts.push(special === "empty" ? "" : undefined);
      continue;
    }
    const text = tokenizer.decode([id]);
    texts.push(text.includes("\uFFFD") ? undefined : text);
  }
  return texts;
}
