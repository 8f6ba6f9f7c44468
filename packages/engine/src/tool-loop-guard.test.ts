/**
 * ToolLoopGuard on a toy vocabulary of word pieces: inside an open string of a tool call a piece
 * repeated a third time back to back (" V V V", "nanana", a run of spaces) is masked and a string
 * at its length limit can only close; words the question lacks stay allowed (unlike ToolCopyGuard),
 * and nothing changes outside strings.
 */
import type { Tokenizer } from "@llm/core";
import { describe, expect, it } from "vitest";
import { allowedPieces, pieceTokenizer } from "./piece-tokenizer.js";
import { repeatsPast, ToolLoopGuard } from "./tool-loop-guard.js";

const PIECES = [
  " V",
  '")',
  '"',
  " France",
  "na",
  " ",
  "<|python_end|>",
  "\uFFFD",
  " ba",
  "x",
  "ss",
  "i",
  "0",
  'earch("',
];

const toyTokenizer = () => pieceTokenizer(PIECES, { "<|python_end|>": 6 });

const allowed = (logits: Float32Array) => allowedPieces(logits, PIECES);
const logits = () => new Float32Array(PIECES.length).fill(1);

describe("repeatsPast", () => {
  it("finds a piece repeated more than maxRepeats times that ends after `from`", () => {
    expect(repeatsPast(" v v v", 4, 2, 8)).toBe(true);
    expect(repeatsPast(" v v", 2, 2, 8)).toBe(false);
    expect(repeatsPast("banana", 4, 2, 8)).toBe(false);
    expect(repeatsPast("bananana", 6, 2, 8)).toBe(true);
    expect(repeatsPast(" mississippi", 0, 2, 8)).toBe(false);
    expect(repeatsPast("   ", 2, 2, 8)).toBe(true);
    // a repeat that ended before `from` is not this token's
    expect(repeatsPast("zzzab", 4, 2, 8)).toBe(false);
    // longer than maxPeriod: not checked
    expect(repeatsPast(" abcd abcd abcd", 10, 2, 4)).toBe(false);
    expect(repeatsPast(" abcd abcd abcd", 10, 2, 5)).toBe(true);
    // one character that is no letter may repeat maxOtherRepeats times ("####"), a longer piece not
    expect(repeatsPast("#### 2", 0, 2, 8, 5)).toBe(false);
    expect(repeatsPast("800000", 0, 2, 8, 5)).toBe(false);
    expect(repeatsPast("8000000", 0, 2, 8, 5)).toBe(true);
    expect(repeatsPast("800000100000100000", 0, 2, 8, 5)).toBe(false);
    expect(repeatsPast("800000100000100000100000", 0, 2, 8, 5)).toBe(true);
  });
});

describe("ToolLoopGuard", () => {
  it("masks exactly the pieces repeatsPast finds (the fast path against the plain one)", () => {
    const alphabet = ["a", "b", " ", "0", "ab", " a", "a ", "b0", "aab"];
    const vocab = [...new Set([...alphabet, "x"])];
    const tokenizer = {
      ...toyTokenizer(),
      vocabSize: vocab.length,
      specialTokens: new Map(),
      decode: (ids: number[]) => ids.map((id) => vocab[id] ?? "").join(""),
    };
    const fast = new ToolLoopGuard(tokenizer as Tokenizer);
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let trial = 0; trial < 300; trial++) {
      let text = "";
      const length = Math.floor(next() * 14);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(next() * alphabet.length)];
      if (repeatsPast(text, 0, 2, 4, 3)) continue; // the guard never lets such a text grow
      const out = fast.apply(new Float32Array(vocab.length).fill(1), text, false, {
        maxRepeats: 2,
        maxPeriod: 4,
        maxOtherRepeats: 3,
      });
      vocab.forEach((piece, id) => {
        const masked = out[id] === Number.NEGATIVE_INFINITY;
        expect(masked, JSON.stringify([text, piece])).toBe(repeatsPast(text + piece, text.length, 2, 4, 3));
      });
    }
  });

  const guard = new ToolLoopGuard(toyTokenizer());

  it('masks the third " V" and lets the string close instead', () => {
    const out = allowed(guard.apply(logits(), 'search(" V V', true));
    expect(out).not.toContain(" V");
    expect(out).toContain('")');
    expect(out).toContain(" France");
    expect(allowed(guard.apply(logits(), 'search(" V', true))).toContain(" V");
  });

  it("masks a loop of letters and a run of spaces, not a word with a doubled piece", () => {
    expect(allowed(guard.apply(logits(), 'count(" banana', true))).not.toContain("na");
    expect(allowed(guard.apply(logits(), 'count(" bana', true))).toContain("na");
    // a piece without a letter may repeat five times: spaces, digits
    expect(allowed(guard.apply(logits(), 'search("  ', true))).toContain(" ");
    expect(allowed(guard.apply(logits(), 'search("     ', true))).not.toContain(" ");
    expect(allowed(guard.apply(logits(), "Math.max(1000", true))).toContain("0");
    expect(allowed(guard.apply(logits(), "The river, 800000", false))).not.toContain("0");
    expect(allowed(guard.apply(logits(), 'count(" missi', true))).toContain("ss");
  });

  it("masks a loop across strings of the code, and stray bytes after an undecodable one", () => {
    expect(allowed(guard.apply(logits(), 'search("earch("earch("', true))).not.toContain('earch("');
    expect(allowed(guard.apply(logits(), 'search("\uFFFD', true))).toContain("\uFFFD");
    expect(allowed(guard.apply(logits(), 'search("\uFFFD\uFFFD', true))).not.toContain("\uFFFD");
  });

  it('masks loops in the reply\'s text with scope "turn" (the default), not with "tool"', () => {
    expect(allowed(guard.apply(logits(), "I don't know anything about V V", false))).not.toContain(" V");
    const l = logits();
    expect(guard.apply(l, "I don't know anything about V V", false, { scope: "tool" })).toBe(l);
    expect(allowed(guard.apply(logits(), "I don't know anything about V", false))).toContain(" V");
  });

  it("lets a word the question lacks through (no copy constraint)", () => {
    // every piece but the special token, which would leave the string open
    expect(allowed(guard.apply(logits(), 'search("', true))).toEqual(
      PIECES.filter((p) => p !== "<|python_end|>"),
    );
    const l = logits();
    expect(guard.apply(l, "search(", true)).toBe(l);
  });

  it("at the length limit allows only tokens that close the string", () => {
    const code = `search("${"x".repeat(8)}`;
    expect(allowed(guard.apply(logits(), code, true, { maxStringChars: 8, maxRepeats: 20 }))).toEqual([
      '")',
      '"',
    ]);
    // one below the limit: one more letter or byte, not a longer piece; never a special token in a string
    const near = allowed(
      guard.apply(logits(), `search("${"x".repeat(7)}`, true, { maxStringChars: 8, maxRepeats: 20 }),
    );
    expect(near).toContain("i");
    expect(near).not.toContain("<|python_end|>");
    expect(near).toContain("\uFFFD");
    expect(near).not.toContain(" France");
  });

  it("keeps tokens masked before, and leaves the logits alone outside strings", () => {
    const l = logits();
    expect(guard.apply(l, 'count(" banana", " n")', true)).toBe(l);
    expect(guard.apply(l, "Math.max(9.11, ", true)).toBe(l);
    const masked = logits();
    masked[3] = Number.NEGATIVE_INFINITY; // " France", e.g. by ToolCopyGuard
    expect(allowed(guard.apply(masked, 'search(" V V', true))).not.toContain(" France");
    // nothing left to allow: the logits as they came
    const onlyLoop = new Float32Array(PIECES.length).fill(Number.NEGATIVE_INFINITY);
    onlyLoop[0] = 1;
    expect(guard.apply(onlyLoop, 'search(" V V', true)).toBe(onlyLoop);
  });
});
