/**
 * probeTiktokenClass: the code points a regex class matches inside tiktoken's own engine (Rust
 * regex / fancy-regex in its WASM), read by encoding: tiktoken keeps only the text its pattern
 * matches, so an encoder with the 256 single-byte tokens and the pattern `\p{L}` returns exactly
 * the UTF-8 bytes of the letters of its input. Used by scripts/make-unicode-classes.ts to generate
 * unicode-classes.ts, and by a test that checks the committed tables against the installed
 * tiktoken. Reference: tiktoken `CoreBPE::encode_ordinary`. Leaves out: surrogates (not text).
 */
import { Tiktoken } from "tiktoken/lite";

const byteRanks = Array.from({ length: 256 }, (_, b) => `${Buffer.from([b]).toString("base64")} ${b}`).join(
  "\n",
);

/** Sorted code points in [from, to) (surrogates skipped) that `pattern` matches one by one. */
export function probeTiktokenClass(pattern: string, from = 0, to = 0x110000): number[] {
  const encoder = new Tiktoken(byteRanks, {}, pattern);
  const found: number[] = [];
  const block = 1 << 16;
  try {
    for (let start = from; start < to; start += block) {
      const chars: string[] = [];
      for (let cp = start; cp < Math.min(start + block, to); cp++) {
        if (cp >= 0xd800 && cp <= 0xdfff) continue;
        chars.push(String.fromCodePoint(cp));
      }
      const text = Buffer.from(encoder.encode_ordinary(chars.join(""))).toString("utf8");
      for (const ch of text) found.push(ch.codePointAt(0) as number);
    }
  } finally {
    encoder.free();
  }
  return found;
}
