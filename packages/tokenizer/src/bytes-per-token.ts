/**
 * bytesPerToken: how well each tokenizer compresses a corpus (UTF-8 bytes / tokens); higher
 * means fewer tokens for the same text, so a longer effective context. Reference: nanochat
 * tok_eval (compression ratio). Leaves out: sampling (it encodes every document).
 */
import type { Tokenizer } from "@llm/core";

export interface BytesPerTokenStat {
  name: string;
  documents: number;
  bytes: number;
  tokens: number;
  bytesPerToken: number;
}

export function bytesPerToken(
  tokenizers: readonly Tokenizer[],
  documents: Iterable<string>,
): BytesPerTokenStat[] {
  const docs = Array.from(documents);
  const bytes = docs.reduce((sum, doc) => sum + Buffer.byteLength(doc), 0);
  return tokenizers.map((tokenizer) => {
    let tokens = 0;
    for (const doc of docs) tokens += tokenizer.encode(doc).length;
    return {
      name: tokenizer.name,
      documents: docs.length,
      bytes,
      tokens,
      bytesPerToken: tokens === 0 ? 0 : bytes / tokens,
    };
  });
}
