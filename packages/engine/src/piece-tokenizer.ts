/**
 * A toy Tokenizer whose ids are the indexes of a list of text pieces, for the decoding guards'
 * tests: decode joins the pieces, tokenBytes is a piece's UTF-8, and the named special tokens map
 * to their ids. `allowedPieces` lists the pieces a guard left unmasked in a logits row.
 * Leaves out: encoding (the guards only decode); not exported from the package.
 */
import type { Tokenizer } from "@llm/core";

/** A Tokenizer over `pieces` (id = index); `special` names the special tokens' ids, the first is specialId's answer. */
export function pieceTokenizer(pieces: readonly string[], special: Record<string, number>): Tokenizer {
  const specialTokens = new Map(Object.entries(special));
  const first = specialTokens.values().next().value ?? 0;
  return {
    name: "toy",
    vocabSize: pieces.length,
    specialTokens,
    encode: () => [],
    decode: (ids) => ids.map((id) => pieces[id] ?? "").join(""),
    tokenBytes: (id) => new TextEncoder().encode(pieces[id] ?? ""),
    specialId: () => first,
  };
}

/** The pieces whose logits a guard did not mask (not -Infinity), in id order. */
export function allowedPieces(logits: Float32Array, pieces: readonly string[]): (string | undefined)[] {
  return [...logits.keys()].filter((id) => logits[id] !== Number.NEGATIVE_INFINITY).map((id) => pieces[id]);
}
