/**
 * decodeUtf8: bytes to text like TextDecoder (invalid sequences become U+FFFD), also counting
 * how many input bytes were not valid UTF-8, so readers can warn instead of silently changing
 * the text. Reference: the WHATWG Encoding standard's UTF-8 decoder (maximal subparts).
 * Leaves out: other encodings (Latin-1, UTF-16 files are reported as invalid UTF-8).
 */

import { isUtf8 } from "node:buffer";

const decoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

export interface DecodedUtf8 {
  text: string;
  /** Input bytes that were not valid UTF-8 (replaced by U+FFFD); 0 for valid input. */
  replacedBytes: number;
}

function countReplacementChars(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\ufffd"); i >= 0; i = text.indexOf("\ufffd", i + 1)) n++;
  return n;
}

/** Valid U+FFFD characters already in the input (the bytes EF BF BD). */
function countEncodedReplacementChars(bytes: Uint8Array): number {
  let n = 0;
  for (let i = bytes.indexOf(0xef); i >= 0 && i + 2 < bytes.length; i = bytes.indexOf(0xef, i + 1)) {
    if (bytes[i + 1] === 0xbf && bytes[i + 2] === 0xbd) n++;
  }
  return n;
}

export function decodeUtf8(bytes: Uint8Array): DecodedUtf8 {
  const text = decoder.decode(bytes);
  if (isUtf8(bytes)) return { text, replacedBytes: 0 };
  // Bytes that survived = UTF-8 length of the text less 3 per inserted U+FFFD.
  const inserted = countReplacementChars(text) - countEncodedReplacementChars(bytes);
  const kept = Buffer.byteLength(text, "utf8") - 3 * inserted;
  return { text, replacedBytes: bytes.length - kept };
}
