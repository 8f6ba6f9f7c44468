/**
 * NUMBER_WORDS: the English words for 0..20, index = value ("three" is NUMBER_WORDS[3]). The one
 * list that reading an answer uses, here (compareAnswer, parseNumber) and in @llm/probes'
 * number extraction. Reference: how small counts are written in answers. Leaves out: words above
 * twenty and compounds ("twenty-one").
 */
export const NUMBER_WORDS: readonly string[] = [
  "zero",
  "one",
  "two",
  "three",
  "four",
  "five",
  "six",
  "seven",
  "eight",
  "nine",
  "ten",
  "eleven",
  "twelve",
  "thirteen",
  "fourteen",
  "fifteen",
  "sixteen",
  "seventeen",
  "eighteen",
  "nineteen",
  "twenty",
];
