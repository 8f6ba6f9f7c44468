/**
 * A tiny byte-level Tokenizer for tests: ids 0..255 are the UTF-8 bytes, then the chat
 * special tokens in SPECIAL_TOKENS order (256 = "<|bos|>"). No merges, so it needs no
 * training and no files. Reference: the byte fallback of GPT-2's byte-level BPE.
 * Leaves out: merges (use @llm/tokenizer for a real BPE).
 */
import { LlmError, SPECIAL_TOKENS, type Tokenizer } from "@llm/core";

export class ByteTokenizer implements Tokenizer {
  readonly name = "bytes";
  readonly vocabSize = 256 + SPECIAL_TOKENS.length;
  readonly specialTokens: ReadonlyMap<string, number> = new Map(SPECIAL_TOKENS.map((t, i) => [t, 256 + i]));
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder();

  encode(text: string): number[] {
    return Array.from(this.encoder.encode(text));
  }

  decode(ids: readonly number[]): string {
    const parts: string[] = [];
    let bytes: number[] = [];
    for (const id of ids) {
      if (id < 256) bytes.push(id);
      else {
        parts.push(this.decoder.decode(Uint8Array.from(bytes)), SPECIAL_TOKENS[id - 256] ?? "");
        bytes = [];
      }
    }
    parts.push(this.decoder.decode(Uint8Array.from(bytes)));
    return parts.join("");
  }

  tokenBytes(id: number): Uint8Array {
    if (id < 256) return Uint8Array.of(id);
    return this.encoder.encode(SPECIAL_TOKENS[id - 256] ?? "");
  }

  specialId(token: string): number {
    const id = this.specialTokens.get(token);
    if (id === undefined) {
      throw new LlmError("TOKENIZER_ERROR", `ByteTokenizer has no special token ${token}`, { input: token });
    }
    return id;
  }
}
