import { SPLIT_DIGITS_PATTERN, trainBpe } from "@llm/tokenizer";
import { describe, expect, it } from "vitest";
import { countedCopyTokens } from "./counted-copy-tokens.js";

describe("countedCopyTokens", () => {
  it("gives word roles and numbers that spell the word-counting steps as the tokenizer encodes them", async () => {
    const text = "the cat sat on the mat, 1 2 3 4 5 6 7 8 9 10 11 12 and the dog sat too.\n";
    const tokenizer = await trainBpe(text.repeat(30), {
      vocabSize: 256 + 9 + 30,
      pattern: SPLIT_DIGITS_PATTERN,
    });
    const tokens = countedCopyTokens(tokenizer, 12);
    // " the 1 cat 2 ... 12": the steps' ids are the words' ids, each followed by its number's
    const steps = " the 1 cat 2 sat 3 on 4 the 5 mat 6 and 7 the 8 dog 9 sat 10 too 11 x 12";
    const words = steps.split(" ").filter((w, i) => w && i % 2 === 1);
    const built = words.flatMap((w, k) => [...tokenizer.encode(` ${w}`), ...tokens.numberIds[k + 1]!]);
    expect(built).toEqual(tokenizer.encode(steps));
    expect(tokens.separatorIds).toEqual(tokenizer.encode("\n"));
    // every word's first piece starts a word and the rest continue it; digits, "," and specials are no word
    for (const w of ["the", "cat", "mat", "dog", "too"]) {
      const ids = tokenizer.encode(` ${w}`);
      expect(tokens.wordRole[ids[0]!]).toBe(1);
      for (const id of ids.slice(1)) expect(tokens.wordRole[id]).toBe(2);
    }
    for (const s of [",", "1", " ", "."])
      for (const id of tokenizer.encode(s)) expect(tokens.wordRole[id]).toBe(0);
    expect(tokens.wordRole[tokenizer.specialId("<|bos|>")]).toBe(0);
  });
});
