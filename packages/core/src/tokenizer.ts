/**
 * The Tokenizer contract and the chat special tokens every trained tokenizer reserves.
 * Implemented by @llm/tokenizer; consumed by data (token shards), model (bits per byte),
 * sft (chat rendering) and probes. Reference: tiktoken's Encoding API, nanochat's special tokens.
 * Leaves out: training (an implementation detail of @llm/tokenizer).
 */

/** The special tokens of our chat format, in id order after the ordinary vocabulary. */
export const SPECIAL_TOKENS = [
  "<|bos|>",
  "<|user_start|>",
  "<|user_end|>",
  "<|assistant_start|>",
  "<|assistant_end|>",
  "<|python_start|>",
  "<|python_end|>",
  "<|output_start|>",
  "<|output_end|>",
] as const;

export type SpecialToken = (typeof SPECIAL_TOKENS)[number];

export interface EncodeOptions {
  /**
   * Special tokens that may be produced from their literal text. Default: none, so ordinary
   * text such as "<|bos|>" is encoded as plain bytes and can never inject a control token.
   */
  allowedSpecial?: "all" | ReadonlySet<string>;
}

export interface Tokenizer {
  /** A short name, e.g. "cl100k_base" or "ours-4096". */
  readonly name: string;
  /** Number of ids, ordinary plus special. */
  readonly vocabSize: number;
  /** Special token text -> id, for the special tokens this tokenizer has. */
  readonly specialTokens: ReadonlyMap<string, number>;
  /** Encodes text to ids. */
  encode(text: string, options?: EncodeOptions): number[];
  /** Decodes ids to text; invalid UTF-8 becomes U+FFFD. */
  decode(ids: readonly number[]): string;
  /** The raw bytes of one token (special tokens: the UTF-8 of their text). */
  tokenBytes(id: number): Uint8Array;
  /** The id of a special token; throws an LlmError if this tokenizer lacks it. */
  specialId(token: SpecialToken | string): number;
}
