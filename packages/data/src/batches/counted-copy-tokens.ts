/**
 * countedCopyTokens: the tokenizer's side of CopyRowsSource's counted copies. Each ordinary
 * token's role in a word (1: a space, then letters, as a pre-tokenizer chunk " cat" starts; 2:
 * letters only, a word's later piece "at"; 0: anything else), the ids of each running number
 * " k" exactly as the tokenizer writes it after a word (" the 1" -> " the", " ", "1" with split
 * digits), and a newline as the separator.
 * Reference: the word-counting steps of @llm/sft (each step word a copy of the question's
 * pre-tokenizer chunk, then its number).
 * Leaves out: words with inner apostrophes or digits (their runs end there), special tokens
 * (role 0).
 */
import type { Tokenizer } from "@llm/core";
import type { CountedCopyTokens } from "./copy-rows-source.js";

/** Word roles, number ids (1..maxNumber) and a newline separator from the tokenizer. */
export function countedCopyTokens(tokenizer: Tokenizer, maxNumber: number): CountedCopyTokens {
  const wordRole = new Uint8Array(tokenizer.vocabSize);
  const special = new Set(tokenizer.specialTokens.values());
  for (let id = 0; id < tokenizer.vocabSize; id++) {
    if (special.has(id)) continue;
    const text = tokenizer.decode([id]);
    wordRole[id] = /^ \p{L}+$/u.test(text) ? 1 : /^\p{L}+$/u.test(text) ? 2 : 0;
  }
  const numberIds: number[][] = [[]];
  for (let k = 1; k <= maxNumber; k++) {
    // the number as it follows a word: the word's ids are dropped
    const word = tokenizer.encode(" a");
    numberIds.push(tokenizer.encode(` a ${k}`).slice(word.length));
  }
  return { wordRole, numberIds, separatorIds: tokenizer.encode("\n") };
}
