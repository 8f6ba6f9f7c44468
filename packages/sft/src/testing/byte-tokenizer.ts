/**
 * ByteTokenizer: the simplest real Tokenizer, one id per UTF-8 byte (0..255) followed by the chat
 * special tokens (256 + their index in SPECIAL_TOKENS). Used by this package's tests and handy for
 * other packages' tests that need a tokenizer before a BPE one is trained.
 * Reference: the byte-level base of GPT-2 / tiktoken BPE, without any merges.
 * Leaves out: merges (so sequences are ~4x longer than with BPE) and regex pre-splitting.
 */
import type { EncodeOptions, Tokenizer } from "@llm/core";
import { LlmError, SPECIAL_TOKENS } from "@llm/core";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: false });

export class ByteTokenizer implements Tokenizer {
  readonly name = "bytes";
  readonly vocabSize = 256 + SPECIAL_TOKENS.length;
  readonly specialTokens: ReadonlyMap<string, number>;
  private readonly specialText = new Map<number, string>();

  constructor() {
    const map = new Map<string, number>();
    SPECIAL_TOKENS.forEach((token, index) => {
      map.set(token, 256 + index);
      this.specialText.set(256 + index, token);
    });
    this.specialTokens = map;
  }

  encode(text: string, options: EncodeOptions = {}): number[] {
    const allowed = options.allowedSpecial;
    if (allowed === undefined || (allowed !== "all" && allowed.size === 0)) return [...encoder.encode(text)];
    const names = [...this.specialTokens.keys()].filter((t) => allowed === "all" || allowed.has(t));
    const pattern = new RegExp(`(${names.map((n) => n.replace(/[|]/g, "\\|")).join("|")})`);
    const ids: number[] = [];
    for (const part of text.split(pattern)) {
      if (part === "") continue;
      const special = this.specialTokens.get(part);
      if (special !== undefined && names.includes(part)) ids.push(special);
      else ids.push(...encoder.encode(part));
    }
    return ids;
  }

  decode(ids: readonly number[]): string {
    let out = "";
    let bytes: number[] = [];
    const flush = () => {
      if (bytes.length > 0) out += decoder.decode(new Uint8Array(bytes));
      bytes = [];
    };
    for (const id of ids) {
      const special = this.specialText.get(id);
      if (special !== undefined) {
        flush();
        out += special;
      } else if (id >= 0 && id < 256) {
        bytes.push(id);
      } else {
        flush();
        out += "\uFFFD";
      }
    }
    flush();
    return out;
  }

  tokenBytes(id: number): Uint8Array {
    const special = this.specialText.get(id);
    if (special !== undefined) return encoder.encode(special);
    if (id >= 0 && id < 256) return Uint8Array.of(id);
    throw new LlmError("INVALID_ARGUMENT", `Token id ${id} is outside the byte tokenizer's vocabulary.`, {
      input: String(id),
      hint: `Use ids in [0, ${this.vocabSize}).`,
    });
  }

  specialId(token: string): number {
    const id = this.specialTokens.get(token);
    if (id === undefined) {
      throw new LlmError("TOKENIZER_ERROR", `The byte tokenizer has no special token ${token}.`, {
        input: token,
        hint: `Use one of ${SPECIAL_TOKENS.join(", ")}.`,
      });
    }
    return id;
  }
}
