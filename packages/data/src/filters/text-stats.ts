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

/** Characters of the most frequent word n-gram times its count, over all word characters. */
export function topNgramCharFraction(words: readonly string[], n: number): number {
  if (words.length < n) return 0;
  const counts = new Map<string, number>();
  let best = 0;
  let bestGram = "";
  for (let i = 0; i + n <= words.length; i++) {
    const gram = words.slice(i, i + n).join(" ");
    const c = (counts.get(gram) ?? 0) + 1;
    counts.set(gram, c);
    if (c > best || (c === best && gram.length > bestGram.length)) {
      best = c;
      bestGram = gram;
    }
  }
  if (best < 2) return 0;
  const total = words.reduce((s, w) => s + w.length, 0);
  const gramChars = bestGram.replace(/ /g, "").length;
  return total === 0 ? 0 : (gramChars * best) / total;
}

/** Fraction of word characters covered by word n-grams that occur more than once (non-overlapping). */
export function duplicateNgramCharFraction(words: readonly string[], n: number): number {
  if (words.length < n) return 0;
  const seen = new Set<string>();
  const covered = new Uint8Array(words.length);
  let i = 0;
  while (i + n <= words.length) {
    const gram = words.slice(i, i + n).join(" ");
    if (seen.has(gram)) {
      for (let j = i; j < i + n; j++) covered[j] = 1;
      i += n;
    } else {
      seen.add(gram);
      i++;
    }
  }
  let dup = 0;
  let total = 0;
  for (let k = 0; k < words.length; k++) {
    const len = (words[k] as string).length;
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
