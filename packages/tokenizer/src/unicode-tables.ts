/**
 * Lookups over the generated tables of unicode-classes.ts (tiktoken's own Unicode classes):
 * decoded range lists, membership by binary search, complements, and the text of a JS RegExp
 * class with exactly those members, so toJsRegExp and the GPT-4 scanner agree with tiktoken on
 * every Node version. Reference: tiktoken (Rust regex) `\s` = White_Space, `\p{..}` = its
 * Unicode general categories. Leaves out: classes the generator does not probe.
 */
import { ENCODED_CLASSES, FOLDS } from "./unicode-classes.js";

export type UnicodeClassName = keyof typeof ENCODED_CLASSES;

/** Flat inclusive ranges [start0, end0, start1, end1, ...], sorted. */
export type Ranges = Int32Array;

const decoded = new Map<UnicodeClassName, Ranges>();

/** The inclusive code point ranges of one of tiktoken's classes. */
export function classRanges(name: UnicodeClassName): Ranges {
  let ranges = decoded.get(name);
  if (ranges) return ranges;
  const parts = ENCODED_CLASSES[name].split(",");
  ranges = new Int32Array(parts.length);
  let previous = 0;
  for (let i = 0; i < parts.length; i += 2) {
    const start = previous + Number.parseInt(parts[i] as string, 36);
    const end = start + Number.parseInt(parts[i + 1] as string, 36);
    ranges[i] = start;
    ranges[i + 1] = end;
    previous = end;
  }
  decoded.set(name, ranges);
  return ranges;
}

export function isUnicodeClassName(name: string): name is UnicodeClassName {
  return Object.hasOwn(ENCODED_CLASSES, name);
}

/** Whether `codePoint` lies in `ranges` (binary search). */
export function inRanges(ranges: Ranges, codePoint: number): boolean {
  let lo = 0;
  let hi = ranges.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (codePoint < (ranges[2 * mid] as number)) hi = mid - 1;
    else if (codePoint > (ranges[2 * mid + 1] as number)) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Every code point 0..0x10FFFF not in `ranges`. */
export function complementRanges(ranges: Ranges): Ranges {
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < ranges.length; i += 2) {
    if ((ranges[i] as number) > next) out.push(next, (ranges[i] as number) - 1);
    next = (ranges[i + 1] as number) + 1;
  }
  if (next <= 0x10ffff) out.push(next, 0x10ffff);
  return Int32Array.from(out);
}

/** The members of `ranges` as the inside of a JS RegExp class (flag `u`), without brackets. */
export function rangesToClassBody(ranges: Ranges): string {
  let out = "";
  for (let i = 0; i < ranges.length; i += 2) {
    const start = ranges[i] as number;
    const end = ranges[i + 1] as number;
    out += `\\u{${start.toString(16)}}`;
    if (end > start) out += `-\\u{${end.toString(16)}}`;
  }
  return out;
}

/** What `(?i:x)` matches in tiktoken's engine for ASCII letter `x`, as code points. */
export function caseFolds(letter: string): readonly number[] | undefined {
  return FOLDS[letter.toLowerCase()];
}

/** Code point -> the lowercase ASCII letter it case-folds to (for ASCII letters, ſ, K), or 0. */
export function asciiFold(codePoint: number): number {
  if ((codePoint >= 0x41 && codePoint <= 0x5a) || (codePoint >= 0x61 && codePoint <= 0x7a))
    return codePoint | 0x20;
  if (codePoint < 0x80) return 0;
  return foldBack().get(codePoint) ?? 0;
}

let foldMap: Map<number, number> | undefined;
function foldBack(): Map<number, number> {
  if (foldMap) return foldMap;
  foldMap = new Map();
  for (const [letter, points] of Object.entries(FOLDS)) {
    for (const cp of points) if (cp >= 0x80) foldMap.set(cp, letter.charCodeAt(0));
  }
  return foldMap;
}
