/**
 * Sentence-like texts for word counting: what a learner asks to count is a sentence ("the cat sat
 * on the mat"), not a list of distinct frequent words. Each text mixes short function words
 * ("the", "a", "of", "and"; the most frequent words of English, repeated as in real text) with
 * content words drawn from a large pool (the run's corpus words), sometimes repeats an earlier
 * word ("we walked and walked") and sometimes capitalises the first word. A model trained on these
 * cannot recall a frequent word in place of the one it was asked about: it has to copy.
 * Reference: the "copy the sentence's own words" failure in
 * docs/lab-notes/2026-12-01-natural-phrasing.md. Leaves out: punctuation, digits and apostrophes
 * inside the text (a word is a run of letters, as the eval sets count).
 */
import type { Rng } from "@llm/core";

/** Short, frequent English words, repeated by rough frequency ("the" most often). */
export const FUNCTION_WORDS: readonly string[] = [
  ..."the the the the the the the the the the a a a and and and of of of to to to in in is is it it".split(
    " ",
  ),
  ..."i we my on was he she at by for with not you they this that be so or up no".split(" "),
  ..."do as all but his her our an me us go".split(" "),
];

export interface SentenceOptions {
  /** Share of words that are function words. Default 0.4. */
  functionShare?: number;
  /** Chance that a word repeats an earlier one of the text. Default 0.08. */
  repeatShare?: number;
  /** Chance that the first word is capitalised. Default 0.1. */
  capitalise?: number;
}

/** `n` words of a sentence-like text, content words from `contentWords`, deterministic by `rng`. */
export function sentenceWords(
  rng: Rng,
  contentWords: readonly string[],
  n: number,
  options: SentenceOptions = {},
): string[] {
  const functionShare = options.functionShare ?? 0.4;
  const repeatShare = options.repeatShare ?? 0.08;
  const words: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    if (r < functionShare) words.push(rng.pick(FUNCTION_WORDS));
    else if (i > 0 && r < functionShare + repeatShare) words.push(words[rng.int(i)] as string);
    else words.push(rng.pick(contentWords));
  }
  const first = words[0];
  if (first !== undefined && rng.next() < (options.capitalise ?? 0.1))
    words[0] = first[0]?.toUpperCase() + first.slice(1);
  return words;
}
