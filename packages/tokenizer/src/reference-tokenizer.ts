/**
 * ReferenceTokenizer: runs a Hugging Face tokenizer.json through the `@lenml/tokenizers` port of
 * transformers.js (pure JS), for models whose pre-tokenizer tiktoken cannot express, such as
 * DeepSeek-V3 (three Split steps). Implements the Tokenizer contract; token bytes come from the
 * byte-level vocabulary. Reference: Hugging Face tokenizers. Leaves out: speed (it is several
 * times slower than tiktoken) and `allowedSpecial`: like Hugging Face, it matches added tokens
 * (e.g. "<｜begin▁of▁sentence｜>") wherever they appear in the text.
 */
import { type EncodeOptions, LlmError, type SpecialToken, type Tokenizer } from "@llm/core";
import { byteLevelDecoder } from "./hf-tokenizer.js";

/** The slice of a @lenml/tokenizers tokenizer that we use. */
export interface LenmlTokenizerLike {
  encode(text: string, options?: { add_special_tokens?: boolean }): number[];
}

interface HfJson {
  model: { vocab: Record<string, number> };
  added_tokens?: { id: number; content: string; special?: boolean }[];
}

const decoder = new TextDecoder("utf-8", { fatal: false });

export class ReferenceTokenizer implements Tokenizer {
  readonly name: string;
  readonly vocabSize: number;
  readonly specialTokens: ReadonlyMap<string, number>;
  private readonly bytes: (Uint8Array | undefined)[];
  private readonly engine: LenmlTokenizerLike;

  constructor(name: string, engine: LenmlTokenizerLike, json: HfJson) {
    this.name = name;
    this.engine = engine;
    const table = byteLevelDecoder();
    const bytes: (Uint8Array | undefined)[] = [];
    for (const [text, id] of Object.entries(json.model.vocab)) {
      bytes[id] = Uint8Array.from(Array.from(text, (ch) => table.get(ch) ?? 0x3f));
    }
    const specials = new Map<string, number>();
    for (const added of json.added_tokens ?? []) {
      bytes[added.id] = new TextEncoder().encode(added.content);
      if (added.special !== false) specials.set(added.content, added.id);
    }
    this.bytes = bytes;
    this.vocabSize = bytes.length;
    this.specialTokens = specials;
  }

  encode(text: string, _options?: EncodeOptions): number[] {
    return this.engine.encode(text, { add_special_tokens: false });
  }

  decode(ids: readonly number[]): string {
    const parts = ids.map((id) => this.tokenBytes(id));
    return decoder.decode(Buffer.concat(parts));
  }

  tokenBytes(id: number): Uint8Array {
    const bytes = this.bytes[id];
    if (bytes === undefined) {
      throw new LlmError("INVALID_INPUT", `Token id ${id} is not in the vocabulary of ${this.name}.`, {
        input: String(id),
      });
    }
    return bytes.slice();
  }

  specialId(token: SpecialToken | string): number {
    const id = this.specialTokens.get(token);
    if (id === undefined)
      throw new LlmError("TOKENIZER_ERROR", `Tokenizer ${this.name} has no special token ${token}.`, {
        input: token,
      });
    return id;
  }
}
