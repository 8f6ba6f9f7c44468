/**
 * CharTokenizer: a Tokenizer with one id per Unicode code point (id = code point + 9, after the
 * nine chat special tokens at ids 0..8). Real and lossless, handy where a test needs exact,
 * predictable splits ("strawberry" is 10 tokens). Reference: character-level nanoGPT.
 * Leaves out: merges; special tokens in `encode` unless allowed.
 */
import type { EncodeOptions, Tokenizer } from "@llm/core";
import { LlmError, SPECIAL_TOKENS } from "@llm/core";

const OFFSET = SPECIAL_TOKENS.length;

export class CharTokenizer implements Tokenizer {
  readonly vocabSize = 0x110000 + OFFSET;
  readonly specialTokens: ReadonlyMap<string, number> = new Map(SPECIAL_TOKENS.map((t, i) => [t, i]));
  readonly name: string;

  constructor(name = "chars") {
    this.name = name;
  }

  encode(text: string, options: EncodeOptions = {}): number[] {
    const ids: number[] = [];
    let rest = text;
    const allowed = options.allowedSpecial;
    while (rest.length > 0) {
      const special = [...this.specialTokens.keys()].find(
        (t) => (allowed === "all" || allowed?.has(t)) && rest.startsWith(t),
      );
      if (special) {
        ids.push(this.specialTokens.get(special)!);
        rest = rest.slice(special.length);
        continue;
      }
      const cp = rest.codePointAt(0)!;
      ids.push(cp + OFFSET);
      rest = rest.slice(cp > 0xffff ? 2 : 1);
    }
    return ids;
  }

  decode(ids: readonly number[]): string {
    return ids.map((id) => (id < OFFSET ? SPECIAL_TOKENS[id]! : String.fromCodePoint(id - OFFSET))).join("");
  }

  tokenBytes(id: number): Uint8Array {
    return new TextEncoder().encode(this.decode([id]));
  }

  specialId(token: string): number {
    const id = this.specialTokens.get(token);
    if (id === undefined) {
      throw new LlmError("TOKENIZER_ERROR", `CharTokenizer has no special token ${token}.`, {
        input: token,
        hint: `Use one of ${SPECIAL_TOKENS.join(", ")}.`,
      });
    }
    return id;
  }
}
