/**
 * A hand-written scanner for the GPT-4 family of pre-split patterns (DEFAULT_PATTERN,
 * GPT4_PATTERN and SPLIT_DIGITS_PATTERN, which differ only in the longest digit run), giving exactly the chunks of their
 * JS RegExp (toJsRegExp) several times faster: characters are classified through a lookup
 * table, so counting chunks for training no longer spends most of its time in the regex engine.
 * Reference: the alternatives of tiktoken's cl100k pattern, in order:
 *   1 '(?i:[sdmt]|ll|ve|re)   2 [^\r\n\p{L}\p{N}]?+\p{L}+   3 \p{N}{1,k}
 *   4 ␠?[^\s\p{L}\p{N}]++[\r\n]*   5 \s*[\r\n]   6 \s+(?!\S)   7 \s+
 * Character classes are tiktoken's own (unicode-classes.ts, read from its WASM): `\s` is
 * Unicode White_Space (U+0085 in, U+FEFF out), letters and numbers are those of its Unicode
 * version, and `(?i:s)` also matches U+017F, so chunks do not depend on Node's ICU.
 * Leaves out: any other pattern (those use the RegExp). Tests check chunk-for-chunk equality
 * with the RegExp on real and random text, and ids against tiktoken (tiktoken-parity.test.ts).
 */

import { DEFAULT_PATTERN, GPT4_PATTERN, SPLIT_DIGITS_PATTERN } from "./pattern.js";
import { asciiFold, classRanges, inRanges } from "./unicode-tables.js";

const LETTER = 1;
const NUMBER = 2;
const SPACE = 3; // \s except CR and LF
const NEWLINE = 4; // CR or LF
const OTHER = 5;

let table: Uint8Array | undefined;
const astral = new Map<number, number>();

function classify(codePoint: number): number {
  if (inRanges(classRanges("L"), codePoint)) return LETTER;
  if (inRanges(classRanges("N"), codePoint)) return NUMBER;
  if (codePoint === 0x0d || codePoint === 0x0a) return NEWLINE;
  if (inRanges(classRanges("White_Space"), codePoint)) return SPACE;
  return OTHER;
}

function bmpTable(): Uint8Array {
  if (table) return table;
  const out = new Uint8Array(65536).fill(OTHER);
  const fill = (ranges: Int32Array, cls: number): void => {
    for (let i = 0; i < ranges.length && (ranges[i] as number) < 65536; i += 2) {
      out.fill(cls, ranges[i] as number, Math.min(65535, ranges[i + 1] as number) + 1);
    }
  };
  fill(classRanges("L"), LETTER);
  fill(classRanges("N"), NUMBER);
  fill(classRanges("White_Space"), SPACE);
  out[0x0a] = NEWLINE;
  out[0x0d] = NEWLINE;
  out.fill(OTHER, 0xd800, 0xe000); // lone surrogates reach tiktoken as U+FFFD, a symbol
  table = out;
  return table;
}

function astralClass(codePoint: number): number {
  let cls = astral.get(codePoint);
  if (cls === undefined) {
    cls = classify(codePoint);
    astral.set(codePoint, cls);
  }
  return cls;
}

/**
 * Calls `emit(start, end)` for each chunk of `text`, in order; `maxDigits` is 2 for
 * DEFAULT_PATTERN and 3 for GPT4_PATTERN.
 */
export function splitGpt4(text: string, maxDigits: number, emit: (start: number, end: number) => void): void {
  const classes = bmpTable();
  const n = text.length;
  // Class and width (1 or 2 code units) of the code point at i; width 0 at the end.
  let width = 0;
  const classAt = (i: number): number => {
    if (i >= n) {
      width = 0;
      return 0;
    }
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < n) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        width = 2;
        return astralClass(((code - 0xd800) << 10) + (low - 0xdc00) + 0x10000);
      }
    }
    width = 1;
    return classes[code] as number;
  };
  const skipRun = (i: number, wanted: number): number => {
    while (i < n) {
      const code = text.charCodeAt(i);
      if (code < 0xd800 || code > 0xdfff) {
        if (classes[code] !== wanted) return i;
        i++;
      } else {
        if (classAt(i) !== wanted) return i;
        i += width;
      }
    }
    return i;
  };
  let pos = 0;
  while (pos < n) {
    const start = pos;
    const code = text.charCodeAt(pos);
    // 1: contractions, case-insensitive as tiktoken's engine (ASCII case, and U+017F for s).
    if (code === 0x27 && pos + 1 < n) {
      const a = asciiFold(text.charCodeAt(pos + 1));
      if (a === 0x73 || a === 0x64 || a === 0x6d || a === 0x74) {
        emit(start, pos + 2);
        pos += 2;
        continue;
      }
      if (pos + 2 < n) {
        const b = asciiFold(text.charCodeAt(pos + 2));
        if ((a === 0x6c && b === 0x6c) || (a === 0x76 && b === 0x65) || (a === 0x72 && b === 0x65)) {
          emit(start, pos + 3);
          pos += 3;
          continue;
        }
      }
    }
    const cls = classAt(pos);
    const w = width;
    if (cls === LETTER) {
      pos = skipRun(pos + w, LETTER);
    } else if ((cls === SPACE || cls === OTHER) && classAt(pos + w) === LETTER) {
      // 2: one non-letter, non-digit, non-newline character glued to the letters after it.
      pos = skipRun(pos + w + width, LETTER);
    } else if (cls === NUMBER) {
      // 3: up to maxDigits numeric code points.
      pos += w;
      for (let d = 1; d < maxDigits && classAt(pos) === NUMBER; d++) pos += width;
    } else if (cls === OTHER || (code === 0x20 && classAt(pos + 1) === OTHER)) {
      // 4: optional space, punctuation run, trailing newlines.
      pos = skipRun(code === 0x20 ? pos + 1 : pos, OTHER);
      while (pos < n && (text.charCodeAt(pos) === 0x0a || text.charCodeAt(pos) === 0x0d)) pos++;
    } else {
      // Whitespace (all of it is in the BMP, one code unit per character).
      let end = pos;
      let lastNewline = -1;
      while (end < n) {
        const c = classes[text.charCodeAt(end)];
        if (c === NEWLINE) lastNewline = end;
        else if (c !== SPACE) break;
        end++;
      }
      if (lastNewline >= 0)
        pos = lastNewline + 1; // 5
      else if (end === n || end - pos === 1)
        pos = end; // 6 at the end of text, or 7
      else pos = end - 1; // 6: leave the last space to the next chunk
    }
    emit(start, pos);
  }
}

/** tiktoken's spelling of the cl100k_base pattern (equivalent to GPT4_PATTERN). */
const CL100K_TIKTOKEN_PATTERN =
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

/** The digit-run length splitGpt4 needs to reproduce `pattern`, or 0 if it cannot. */
export function gpt4FamilyDigits(pattern: string): number {
  if (pattern === SPLIT_DIGITS_PATTERN) return 1;
  if (pattern === DEFAULT_PATTERN) return 2;
  if (pattern === GPT4_PATTERN || pattern === CL100K_TIKTOKEN_PATTERN) return 3;
  return 0;
}
