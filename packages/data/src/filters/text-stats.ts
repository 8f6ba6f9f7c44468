/**
 * Small text helpers shared by the quality filters: word splitting, lines, paragraphs, and the
 * repetition measures of the Gopher rules. Reference: datatrove's text utilities and the
 * Gopher paper (Rae et al. 2021, appendix A). Leaves out: language-specific word splitting
 * (words are runs of non-space characters, as datatrove does for English).
 */

/** Words: runs of non-whitespace characters. */
export function splitWords(text: string): string[] {
  return text.split(/\s+/).filter((w) => w.length > 0);
}

/** Words with the punctuation at their edges removed; empty results dropped. */
export function splitWordsNoPunctuation(text: string): string[] {
  const out: string[] = [];
  for (const w of splitWords(text)) {
    const stripped = w.replace(/^[\p{P}\p{S}]+|[\p{P}\p{S}]+$/gu, "");
    if (stripped.length > 0) out.push(stripped);
  }
  return out;
}

/** Non-empty lines, trimmed. */
export function splitLines(text: string): string[] {
  return text
    .split(/\n+/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

/** Paragraphs: blocks separated by two or more newlines, trimmed, non-empty. */
export function splitParagraphs(text: string): string[] {
  return text
    .split(/\n\s*\n+/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

/** Items that repeat an earlier item: how many, and how many characters they hold. */
export function duplicates(items: readonly string[]): { count: number; chars: number } {
  const seen = new Set<string>();
  let count = 0;
  let chars = 0;
  for (const item of items) {
    if (seen.has(item)) {
      count++;
      chars += item.length;
    } else seen.add(item);
  }
  return { count, chars };
}

/** Word ids (equal words, equal ids) and word lengths, so n-grams can be hashed as numbers. */
export interface WordTable {
  ids: Uint32Array;
  lengths: Uint32Array;
}

/** Builds the WordTable of a word list once, for several n-gram measures. */
export function wordIds(words: readonly string[]): WordTable {
  const table = new Map<string, number>();
  const ids = new Uint32Array(words.length);
  const lengths = new Uint32Array(words.length);
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    let id = table.get(w);
    if (id === undefined) {
      id = table.size + 1;
      table.set(w, id);
    }
    ids[i] = id;
    lengths[i] = w.length;
  }
  return { ids, lengths };
}

/**
 * Counts n-grams keyed by two independent 32-bit hashes (64 bits: collisions ~ n^2 / 2^64) in an
 * open-addressing table of typed arrays, which is much faster than a Map of strings.
 */
class NgramCounter {
  private readonly a: Int32Array;
  private readonly b: Int32Array;
  private readonly counts: Int32Array;
  private readonly mask: number;

  constructor(items: number) {
    let size = 16;
    while (size < items * 2) size *= 2;
    this.a = new Int32Array(size);
    this.b = new Int32Array(size);
    this.counts = new Int32Array(size);
    this.mask = size - 1;
  }

  /** Adds one occurrence of the n-gram at i; returns its count so far. */
  add(ids: Uint32Array, i: number, n: number): number {
    let a = 0x811c9dc5;
    let b = 0x9e3779b9;
    for (let k = 0; k < n; k++) {
      const id = ids[i + k] as number;
      a = Math.imul(a ^ id, 0x01000193);
      b = Math.imul(b ^ id, 0x5bd1e995);
      b ^= b >>> 13;
    }
    let slot = (a ^ Math.imul(b, 0x27d4eb2d)) & this.mask;
    while (this.counts[slot] !== 0) {
      if (this.a[slot] === a && this.b[slot] === b) {
        const count = (this.counts[slot] as number) + 1;
        this.counts[slot] = count;
        return count;
      }
      slot = (slot + 1) & this.mask;
    }
    this.a[slot] = a;
    this.b[slot] = b;
    this.counts[slot] = 1;
    return 1;
  }
}

/** Characters of the most frequent word n-gram times its count, over all word characters. */
export function topNgramCharFraction(words: readonly string[] | WordTable, n: number): number {
  const { ids, lengths } = "ids" in words ? words : wordIds(words);
  if (ids.length < n) return 0;
  const counter = new NgramCounter(ids.length);
  let best = 0;
  let bestChars = 0;
  for (let i = 0; i + n <= ids.length; i++) {
    const c = counter.add(ids, i, n);
    if (c < best) continue;
    let chars = 0;
    for (let k = 0; k < n; k++) chars += lengths[i + k] as number;
    if (c > best || chars > bestChars) {
      best = c;
      bestChars = chars;
    }
  }
  if (best < 2) return 0;
  let total = 0;
  for (let i = 0; i < lengths.length; i++) total += lengths[i] as number;
  return total === 0 ? 0 : (bestChars * best) / total;
}

/** Fraction of word characters covered by word n-grams that occur more than once (non-overlapping). */
export function duplicateNgramCharFraction(words: readonly string[] | WordTable, n: number): number {
  const { ids, lengths } = "ids" in words ? words : wordIds(words);
  if (ids.length < n) return 0;
  const counter = new NgramCounter(ids.length);
  const covered = new Uint8Array(ids.length);
  let i = 0;
  while (i + n <= ids.length) {
    if (counter.add(ids, i, n) > 1) {
      for (let j = i; j < i + n; j++) covered[j] = 1;
      i += n;
    } else i++;
  }
  let dup = 0;
  let total = 0;
  for (let k = 0; k < ids.length; k++) {
    const len = lengths[k] as number;
    total += len;
    if (covered[k]) dup += len;
  }
  return total === 0 ? 0 : dup / total;
}

export const TERMINAL_PUNCTUATION = [".", "!", "?", '"', "'", "”", "’", "…", ":", ";", ")"] as const;

/** True when the line ends with sentence-final punctuation. */
export function endsWithPunctuation(line: string): boolean {
  const trimmed = line.trimEnd();
  return TERMINAL_PUNCTUATION.some((p) => trimmed.endsWith(p));
}
