/**
 * CharTokenizer: a real Tokenizer over a small alphabet (one id per character) followed by the
 * chat special tokens, for tests that need a tiny vocabulary. Characters outside the alphabet
 * encode to the id of "?".
 */
import { type EncodeOptions, LlmError, SPECIAL_TOKENS, type Tokenizer } from "@llm/core";

export class CharTokenizer implements Tokenizer {
  readonly name = "chars";
  readonly vocabSize: number;
  readonly specialTokens: ReadonlyMap<string, number>;
  private readonly chars: string[];
  private readonly index = new Map<string, number>();

  constructor(alphabet = "0123456789 +-*=?#abcdefghijklmnopqrstuvwxyz") {
    this.chars = [...new Set(alphabet.includes("?") ? alphabet : `${alphabet}?`)];
    this.chars.forEach((c, i) => this.index.set(c, i));
    const specials = new Map<string, number>();
    SPECIAL_TOKENS.forEach((token, i) => specials.set(token, this.chars.length + i));
    this.specialTokens = specials;
    this.vocabSize = this.chars.length + SPECIAL_TOKENS.length;
  }

  encode(text: string, options: EncodeOptions = {}): number[] {
    const allowed = options.allowedSpecial;
    const ids: number[] = [];
    let i = 0;
    while (i < text.length) {
      let matched = false;
      if (allowed !== undefined) {
        for (const [token, id] of this.specialTokens) {
          if ((allowed === "all" || allowed.has(token)) && text.startsWith(token, i)) {
            ids.push(id);
            i += token.length;
            matched = true;
            break;
          }
        }
      }
      if (matched) continue;
      const ch = text[i] as string;
      ids.push(this.index.get(ch.toLowerCase()) ?? (this.index.get("?") as number));
      i++;
    }
    return ids;
  }

  decode(ids: readonly number[]): string {
    return ids.map((id) => this.chars[id] ?? SPECIAL_TOKENS[id - this.chars.length] ?? "\uFFFD").join("");
  }

  tokenBytes(id: number): Uint8Array {
    return new TextEncoder().encode(this.decode([id]));
  }

  specialId(token: string): number {
    const id = this.specialTokens.get(token);
    if (id === undefined) {
      throw new LlmError("TOKENIZER_ERROR", `No special token ${token}.`, { input: token });
    }
    return id;
  }
}
