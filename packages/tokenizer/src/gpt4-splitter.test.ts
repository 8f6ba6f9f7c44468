import { Rng } from "@llm/core";
import { describe, expect, it } from "vitest";
import { mobyDickChapters } from "./__fixtures__/moby-dick.js";
import { splitGpt4 } from "./gpt4-splitter.js";
import { DEFAULT_PATTERN, GPT4_PATTERN, SPLIT_DIGITS_PATTERN, toJsRegExp } from "./pattern.js";

function chunks(text: string, maxDigits: number): string[] {
  const out: string[] = [];
  splitGpt4(text, maxDigits, (start, end) => out.push(text.slice(start, end)));
  return out;
}

const PIECES = [
  "a",
  "Z",
  "é",
  "水",
  "𠀀",
  "𝒜",
  "1",
  "٣",
  "𝟙",
  "Ⅻ",
  "½",
  " ",
  "  ",
  "\t",
  "\n",
  "\r\n",
  "\u00a0",
  "\u3000",
  "\ufeff",
  "'",
  "'s",
  "'S",
  "'ll",
  "'Ve",
  "'re",
  "'x",
  "!",
  "...",
  "🙂",
  "👩‍👩‍👧",
  "\ud800",
  "\udc00",
  "-",
  "_",
  "e\u0301",
  "\u2028",
];

describe("splitGpt4", () => {
  for (const [name, pattern, maxDigits] of [
    ["DEFAULT_PATTERN", DEFAULT_PATTERN, 2],
    ["GPT4_PATTERN", GPT4_PATTERN, 3],
    ["SPLIT_DIGITS_PATTERN", SPLIT_DIGITS_PATTERN, 1],
  ] as const) {
    it(`cuts exactly where the RegExp of ${name} does`, () => {
      const regex = toJsRegExp(pattern);
      for (const text of mobyDickChapters().slice(0, 40))
        expect(chunks(text, maxDigits)).toEqual(text.match(regex) ?? []);
      const rng = new Rng(11);
      for (let i = 0; i < 2000; i++) {
        let text = "";
        const n = rng.int(25);
        for (let j = 0; j < n; j++) text += PIECES[rng.int(PIECES.length)];
        expect(chunks(text, maxDigits)).toEqual(text.match(regex) ?? []);
      }
    });
  }
});
