/**
 * NumberCopyGuard on a toy vocabulary of single digits and punctuation (as the run's tokenizer
 * splits digits): inside `Math.max(...)` a number grows only as a copy of a number of the
 * question, a second argument is the other number, and the "####" answer after a tool output
 * copies the output; elsewhere nothing changes.
 */
import { describe, expect, it } from "vitest";
import { NumberCopyGuard, numbersIn, openAnswer, runsAreCopies } from "./number-copy-guard.js";
import { allowedPieces, pieceTokenizer } from "./piece-tokenizer.js";

const PIECES = [
  ..."0123456789",
  ".",
  ",",
  " ",
  ")",
  "<|python_end|>",
  "<|assistant_end|>",
  "\n",
  " is",
  "\uFFFD",
];

const toyTokenizer = () => pieceTokenizer(PIECES, { "<|python_end|>": 14 });

const allowed = (logits: Float32Array) => allowedPieces(logits, PIECES);
const digitsOf = (pieces: (string | undefined)[]) => pieces.filter((p) => p !== undefined && /^\d$/.test(p));

describe("numbersIn and runsAreCopies", () => {
  it("reads numbers as written, without a sentence's point", () => {
    expect(numbersIn("Is 15.1 bigger than 15.09?")).toEqual(["15.1", "15.09"]);
    expect(numbersIn("It costs 3.20. Or 9.9.")).toEqual(["3.20", "9.9"]);
    expect(numbersIn("no numbers")).toEqual([]);
  });

  it("accepts starts of copies and whole copies, each once while others are unused", () => {
    const allowedNumbers = ["15.1", "15.09"];
    expect(runsAreCopies("15.1", allowedNumbers, true)).toBe(true);
    expect(runsAreCopies("15.15", allowedNumbers, true)).toBe(false);
    expect(runsAreCopies("15.1, 15.0", allowedNumbers, true)).toBe(true);
    expect(runsAreCopies("15.1, 15.1", allowedNumbers, true)).toBe(false);
    expect(runsAreCopies("15.1, 15.1", allowedNumbers, false)).toBe(true);
    expect(runsAreCopies("15.0)", allowedNumbers, true)).toBe(false);
    expect(runsAreCopies("x, y", allowedNumbers, true)).toBe(true);
    // in code a point after a number is part of it; in prose it may end the sentence
    expect(runsAreCopies("15.1.", allowedNumbers, true)).toBe(false);
    expect(runsAreCopies("15.1.", allowedNumbers, false)).toBe(true);
    expect(runsAreCopies("15.1. Yes", allowedNumbers, false)).toBe(true);
  });

  it("finds the open answer line", () => {
    expect(openAnswer("#### 13.8")).toBe(" 13.8");
    expect(openAnswer("#### 13.88\nmore")).toBeUndefined();
    expect(openAnswer("the answer")).toBeUndefined();
  });
});

describe("NumberCopyGuard", () => {
  const guard = new NumberCopyGuard(toyTokenizer());
  const logits = () => new Float32Array(PIECES.length).fill(1);
  const calls = ["Math.max", "Math.min"];
  const question = "Which is bigger, 15.1 or 15.09?";

  it("lets a Math.max argument grow only as a copy of the question's numbers", () => {
    // the first digit of either number
    expect(digitsOf(allowed(guard.applyToCall(logits(), "Math.max(", question, calls)))).toEqual(["1"]);
    // after 15.1: no 15.15, the number may end (",", ")") or go on to 15.1x of no question number
    const after = allowed(guard.applyToCall(logits(), "Math.max(15.1", question, calls));
    expect(digitsOf(after)).toEqual([]);
    expect(after).toContain(",");
    expect(after).toContain(")");
    // 15.0 must become 15.09 before the call can close
    const mid = allowed(guard.applyToCall(logits(), "Math.max(15.0", question, calls));
    expect(digitsOf(mid)).toEqual(["9"]);
    expect(mid).not.toContain(")");
    expect(mid).not.toContain("<|python_end|>");
  });

  it("makes the second argument the other number", () => {
    const second = allowed(guard.applyToCall(logits(), "Math.min(15.1, 15.", question, calls));
    expect(digitsOf(second)).toEqual(["0"]);
    const nines = allowed(guard.applyToCall(logits(), "Math.max(9.11, 9.", "Is 9.11 more than 9.9?", calls));
    expect(digitsOf(nines)).toEqual(["9"]);
  });

  it("leaves other calls, code already off the question and questions without numbers alone", () => {
    const l = logits();
    expect(guard.applyToCall(l, 'count(" 15', question, calls)).toBe(l);
    expect(guard.applyToCall(l, "Math.max(15.15, ", question, calls)).toBe(l);
    expect(guard.applyToCall(l, "Math.max(", "Which is bigger?", calls)).toBe(l);
  });

  it('copies the "####" number from the tool output', () => {
    const q = "Is 13.88 bigger than 13.9?";
    const start = allowed(guard.applyToAnswer(logits(), "#### ", "13.9", q));
    expect(digitsOf(start)).toEqual(["1"]);
    const cut = allowed(guard.applyToAnswer(logits(), "#### 13.", "13.88", q));
    expect(digitsOf(cut)).toEqual(["8"]);
    const short = allowed(guard.applyToAnswer(logits(), "#### 13.8", "13.88", q));
    expect(digitsOf(short)).toEqual(["8"]);
    expect(short).not.toContain("<|assistant_end|>");
    // the question's 3.20 for an output 3.2 is the same value
    const padded = allowed(
      guard.applyToAnswer(logits(), "#### 3.2", "3.2", "Which is bigger, 3.20 or 3.15?"),
    );
    expect(digitsOf(padded)).toEqual(["0"]);
    expect(padded).toContain("<|assistant_end|>");
  });

  it("leaves text outside the answer line and outputs without numbers alone", () => {
    const l = logits();
    expect(guard.applyToAnswer(l, "The answer is ", "13.88", "q")).toBe(l);
    expect(guard.applyToAnswer(l, "#### ", "no result", "q")).toBe(l);
  });
});
