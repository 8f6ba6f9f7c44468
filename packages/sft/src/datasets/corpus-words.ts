/**
 * countCorpusWords: the words the letter-counting tasks ask about, taken from a corpus instead of
 * the ~150 built-in WORDS: lowercase runs of 3-12 ASCII letters seen at least `minCount` times,
 * most frequent first, at most `maxWords`, from the documents whose metadata.source is not one of
 * the synthetic ones (SYNTHETIC_SOURCES: fact, repeat and task documents). Thousands of words
 * instead of a hundred, so that SFT cannot memorise a word per prompt and has to learn to copy the
 * asked word into the tool call (pass them as `words` to letterCountTasks). The pipeline counts
 * them once in its data stage (data/letter-words.json).
 * Reference: nanochat's SpellingBee, which draws from a large English word list.
 * Leaves out: non-ASCII words (the tasks count ASCII letters).
 */
import type { Document } from "@llm/core";

/**
 * metadata.source of the synthetic documents a pretraining mix adds (factDocuments' "knowledge",
 * @llm/data's repeatDocuments' "repeat", taskDocuments' "task", "arithmetic-facts"): not the
 * corpus' own words.
 */
export const SYNTHETIC_SOURCES: ReadonlySet<string> = new Set([
  "knowledge",
  "repeat",
  "task",
  "arithmetic-facts",
]);

export interface CorpusWordsOptions {
  /** Minimum number of occurrences in the corpus. */
  minCount: number;
  /** Maximum number of words returned. */
  maxWords: number;
  /** Documents with one of these metadata.source values are not counted. Default SYNTHETIC_SOURCES. */
  skipSources?: ReadonlySet<string>;
}

/** Counts the words of `documents` and returns the kept ones, most frequent first (ties alphabetical). */
export function countCorpusWords(documents: Iterable<Document>, options: CorpusWordsOptions): string[] {
  const skip = options.skipSources ?? SYNTHETIC_SOURCES;
  const counts = new Map<string, number>();
  for (const doc of documents) {
    if (skip.has(String(doc.metadata?.source))) continue;
    for (const match of doc.text.matchAll(/[A-Za-z]+/g)) {
      const word = match[0].toLowerCase();
      if (word.length < 3 || word.length > 12) continue;
      counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  return [...counts]
    .filter(([, n]) => n >= options.minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, options.maxWords)
    .map(([word]) => word);
}
