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
  /**
   * Chance that the text's first word comes back later in it: the first word is then "the" (60%)
   * or another function word and a later word (the third or after) is that word again, as in "the dog
   * ran to the park". A learner's sentences are like this (52 of the 105 natural eval texts start
   * with "the", 38 repeat their first word); at the defaults 6% of the texts start with "the" and
   * 22% repeat their first word (400 texts of 2-10 words), at 0.5: 36% and 59%. Needs 3 or more
   * words. Default 0.
   */
  firstRepeatShare?: number;
  /**
   * Chance that the text is first person as a learner types it: its first word is "I" (capital)
   * and every other "i" of it too ("I like green apples a lot"). The function words have only a
   * lower-case "i", so without it no text has the chunk " I", and final's model answered that
   * chat question with " he 1 ..." (apps/chat/scripts/sample-turns.ts). Default 0.
   */
  firstPersonShare?: number;
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
  // drawn only when set, so that the default texts are the same as before the knobs
  const firstPerson = options.firstPersonShare ?? 0;
  if (firstPerson > 0 && n >= 2 && rng.next() < firstPerson) {
    words[0] = "i";
    return words.map((w) => (w === "i" ? "I" : w));
  }
  const firstRepeat = options.firstRepeatShare ?? 0;
  if (firstRepeat > 0 && n >= 3 && rng.next() < firstRepeat) {
    // "the" opens most English sentences that repeat their first word
    const lead = rng.next() < 0.6 ? "the" : rng.pick(FUNCTION_WORDS);
    words[0] = lead;
    words[2 + rng.int(n - 2)] = lead;
  }
  const first = words[0];
  if (first !== undefined && rng.next() < (options.capitalise ?? 0.1))
    words[0] = first[0]?.toUpperCase() + first.slice(1);
  return words;
}
