/**
 * WordStepGuard on a toy vocabulary of word pieces: once a reply is word-counting steps, a step
 * word can only be a word of the question ("word") or the next word of a contiguous run of them
 * ("run"); numbers, the end of the steps and special tokens stay free, and other replies are not
 * touched.
 */
import { describe, expect, it } from "vitest";
import { allowedPieces, pieceTokenizer } from "./piece-tokenizer.js";
import { questionWords, WordStepGuard } from "./word-step-guard.js";

const PIECES = [
  " the",
  " cat",
  " sat",
  " on",
  " mat",
  " egg",
  "g",
  " ",
  "1",
  "2",
  "3",
  "\n",
  "####",
  " dog",
  ".",
  "<|assistant_end|>",
  " ca",
  "t",
  "\uFFFD",
  "<|bos|>",
];
const END = 15;

const toyTokenizer = () => pieceTokenizer(PIECES, { "<|assistant_end|>": END, "<|bos|>": 19 });

const allowed = (logits: Float32Array) => allowedPieces(logits, PIECES);
const logits = () => new Float32Array(PIECES.length).fill(1);

describe("questionWords", () => {
  it("takes runs of letters, lower case, inner apostrophes kept, quotes and numbers left out", () => {
    expect(questionWords("How many words in 'I'm 2 cats'?")).toEqual([
      "how",
      "many",
      "words",
      "in",
      "i'm",
      "cats",
    ]);
  });
});

describe("WordStepGuard", () => {
  const guard = new WordStepGuard(toyTokenizer());
  const source = "Count the words: the cat sat on the mat";

  it("leaves a reply alone until it is steps (a copied word, then 1)", () => {
    const l = logits();
    expect(guard.apply(l, "", source, "run")).toBe(l);
    expect(guard.apply(l, " the", source, "run")).toBe(l);
    expect(guard.apply(l, "#### 6\n the 1", source, "run")).toBe(l);
    expect(guard.apply(l, " dog 1", source, "run")).toBe(l); // the first word is no copy
    expect(guard.apply(l, " the 2", source, "run")).toBe(l);
  });

  it("word mode: each step word is a word of the question; no loop, no glued punctuation", () => {
    // after " the 1" a step word may be any question word; " egg" and " dog" are none
    const out = allowed(guard.apply(logits(), " the 1", source, "word"));
    expect(out).toEqual(
      expect.arrayContaining([" the", " cat", " sat", " on", " mat", " ", "1", "2", "\n", "####"]),
    );
    expect(out).not.toContain(" egg");
    expect(out).not.toContain(" dog");
    expect(out).toContain("<|assistant_end|>");
    // inside a word: " ca" grows to " cat" only; " cat" takes no "t" or "."
    expect(allowed(guard.apply(logits(), " the 1 ca", source, "word"))).toContain("t");
    const afterCat = allowed(guard.apply(logits(), " the 1 cat", source, "word"));
    expect(afterCat).not.toContain("t");
    expect(afterCat).not.toContain(".");
    expect(afterCat).not.toContain("g");
    // out of order is fine in word mode
    expect(allowed(guard.apply(logits(), " the 1 mat 2", source, "word"))).toContain(" sat");
  });

  it("stops a multi-token word that loops", () => {
    const eggs = "How many words: we had egg and toast";
    expect(allowed(guard.apply(logits(), " we 1 had 2 egg", eggs, "word"))).not.toContain("g");
  });

  it("run mode: the next step word follows the last one's place in the text, repeats told apart", () => {
    // " the" fits two places (the first "the", and "the mat"); after " the 1 cat 2 sat 3 on 4 the 5"
    // only "mat" follows
    const out = allowed(guard.apply(logits(), " the 1 cat 2 sat 3 on 4 the 5", source, "run"));
    expect(out).toContain(" mat");
    expect(out).not.toContain(" cat");
    expect(out).not.toContain(" the");
    // after the first " the 1" both of its successors are open: " words" (not in the toy) and " cat", " mat"
    const first = allowed(guard.apply(logits(), " the 1", source, "run"));
    expect(first).toEqual(expect.arrayContaining([" cat", " mat"]));
    expect(first).not.toContain(" sat");
    // at the text's end no word follows; a number, the end and the answer line do
    const end = allowed(guard.apply(logits(), " the 1 cat 2 sat 3 on 4 the 5 mat 6", source, "run"));
    expect(end).not.toContain(" the");
    expect(end).toEqual(expect.arrayContaining(["\n", "####", "<|assistant_end|>"]));
    expect(allowed(guard.apply(logits(), " the 1 cat 2 sat 3 on 4 the 5 mat", source, "run"))).toEqual(
      expect.arrayContaining([" "]),
    );
    expect(allowed(guard.apply(logits(), " the 1 cat 2 sat 3 on 4 the 5 mat ", source, "run"))).toEqual(
      expect.arrayContaining(["1", "2", "3"]),
    );
  });

  it("never masks numbers, and stops guarding once the steps end", () => {
    expect(allowed(guard.apply(logits(), " the 1 cat", source, "run"))).toEqual(
      expect.arrayContaining([" ", "\n", "####"]),
    );
    const l = logits();
    expect(guard.apply(l, " the 1 cat 2\n#### ", source, "run")).toBe(l);
    expect(allowed(guard.apply(logits(), " the 1 cat ", source, "run"))).toEqual(
      expect.arrayContaining(["1", "2", "3"]),
    );
  });

  it("lets no number follow a number, and no special token but the turn's end", () => {
    const out = allowed(guard.apply(logits(), " the 1 cat 2 ", source, "run"));
    expect(out).not.toContain("1");
    expect(out).not.toContain("3");
    expect(allowed(guard.apply(logits(), " the 1 cat 2", source, "run"))).toEqual(
      expect.arrayContaining(["3", "<|assistant_end|>"]),
    );
    expect(allowed(guard.apply(logits(), " the 1 cat 2", source, "run"))).not.toContain("<|bos|>");
  });

  it("masks an incomplete UTF-8 piece for an ASCII question, and no double space", () => {
    const out = allowed(guard.apply(logits(), " the 1 cat 2", source, "run"));
    expect(out).not.toContain("\uFFFD");
    expect(allowed(guard.apply(logits(), " the 1 cat ", source, "run"))).not.toContain(" ");
  });
});
