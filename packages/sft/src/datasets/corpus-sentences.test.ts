import { describe, expect, it } from "vitest";
import { corpusSentences } from "./corpus-sentences.js";

describe("corpusSentences", () => {
  it("joins a paragraph's lines, cuts after . ! ? ; : and drops closing punctuation and inner commas", () => {
    const text =
      "Call me Ishmael. Some years ago, never mind\nhow long precisely, I went to sea!\nIt is a way; a good one: it works?";
    expect(corpusSentences([text], { minWords: 3 })).toEqual([
      ["call", "me", "ishmael"],
      ["some", "years", "ago", "never", "mind", "how", "long", "precisely", "I", "went", "to", "sea"],
      ["it", "is", "a", "way"],
      ["a", "good", "one"],
    ]);
  });

  it("keeps only letters and single spaces: digits, apostrophes, hyphens and quotes drop a sentence", () => {
    const texts = [
      'It cost 12 dollars. We can\'t stop now. A well-known man spoke. He said "go" to them. The sea was calm.',
    ];
    expect(corpusSentences(texts, { minWords: 3 })).toEqual([["the", "sea", "was", "calm"]]);
  });

  it("lower-cases every word but the pronoun I, keeps each sentence once, in corpus order", () => {
    const texts = ["The Whale and I swam. the whale and I swam. Then I Slept Well."];
    expect(corpusSentences(texts, { minWords: 3 })).toEqual([
      ["the", "whale", "and", "I", "swam"],
      ["then", "I", "slept", "well"],
    ]);
  });

  it("keeps minWords to maxWords words and stops at limit", () => {
    const texts = ["one two. one two three. one two three four. a b c d e. f g h i j k."];
    expect(corpusSentences(texts, { minWords: 3, maxWords: 5 })).toEqual([
      ["one", "two", "three"],
      ["one", "two", "three", "four"],
      ["a", "b", "c", "d", "e"],
    ]);
    expect(corpusSentences(texts, { minWords: 3, maxWords: 5, limit: 2 })).toHaveLength(2);
  });
});
