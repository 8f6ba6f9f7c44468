/**
 * Real sentences for word counting: the short, plain sentences of a corpus ("once sailed between
 * the boots of the famous colossus at old rhodes"), as word lists. What a learner asks to count is
 * English, whose function words repeat ("the ... the") and whose words share pieces ("cat", "sat",
 * "mat"); the sentence-like texts of word-count-sentence.ts are word salad. Lines of a paragraph
 * are joined, the text is cut after . ! ? ; and :, a sentence's closing punctuation and the commas
 * inside it are dropped, and only sentences left of letters and single spaces are kept, lower case
 * except the pronoun "I", each once, in corpus order.
 * Reference: the misses of docs/lab-notes/2026-12-03e-copy-rows-text.md (the copy heads match one
 * token). Leaves out: sentences with digits, apostrophes, hyphens or quotes inside.
 */

export interface CorpusSentenceOptions {
  /** Fewest words of a kept sentence. Default 4. */
  minWords?: number;
  /** Most words of a kept sentence. Default 15. */
  maxWords?: number;
  /** Most sentences returned (the first ones in corpus order). Default 20,000. */
  limit?: number;
}

const PLAIN = /^[A-Za-z]+(?: [A-Za-z]+)*$/;

/** The plain sentences of `texts` (documents), each as its words. */
export function corpusSentences(texts: Iterable<string>, options: CorpusSentenceOptions = {}): string[][] {
  const min = options.minWords ?? 4;
  const max = options.maxWords ?? 15;
  const limit = options.limit ?? 20_000;
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const text of texts) {
    for (const piece of text.replace(/\s*\n\s*/g, " ").split(/(?<=[.!?;:])\s+/)) {
      const sentence = piece
        .trim()
        .replace(/[.!?;:,]+$/, "")
        .replace(/, /g, " ");
      if (!PLAIN.test(sentence)) continue;
      const words = sentence.split(" ").map((w) => (w === "I" ? w : w.toLowerCase()));
      if (words.length < min || words.length > max) continue;
      const key = words.join(" ");
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(words);
      if (out.length >= limit) return out;
    }
  }
  return out;
}
