/**
 * ToolCopyGuard on a toy vocabulary of word pieces: inside an open string of a tool call only
 * pieces that keep the string a copy of the user's words (or close it) keep their logits, so the
 * " bananananan" loop and a word the question lacks are masked; outside strings nothing changes.
 */
import { describe, expect, it } from "vitest";
import { allowedPieces, pieceTokenizer } from "./piece-tokenizer.js";
import { openString, ToolCopyGuard } from "./tool-copy-guard.js";

const PIECES = [
  " ban",
  "an",
  "a",
  '",',
  " n",
  '")',
  " meet",
  "<|python_end|>",
  "\uFFFD",
  " Ban",
  "o",
  " ",
  "\n",
];

const toyTokenizer = () => pieceTokenizer(PIECES, { "<|python_end|>": 7 });

const allowed = (logits: Float32Array) => allowedPieces(logits, PIECES);

describe("openString", () => {
  it("finds the open string and its text, and none once it is closed", () => {
    expect(openString('count(" banan')).toEqual({ quote: '"', text: " banan" });
    expect(openString('count(" banana", " n")')).toBeUndefined();
    expect(openString("f('it\\'s")).toEqual({ quote: "'", text: "it\\'s" });
    expect(openString("Math.max(9.11, 9.9)")).toBeUndefined();
  });
});

describe("ToolCopyGuard", () => {
  const guard = new ToolCopyGuard(toyTokenizer());
  const source = "How many n's are in Banana?";
  const logits = () => new Float32Array(PIECES.length).fill(1);

  it("lets a string grow only as a copy of the user's words, case ignored", () => {
    // "an" and "o" start no word of the question ("many", "how"); "a" is "are"'s start
    expect(allowed(guard.apply(logits(), 'count("', source))).toEqual([
      " ban",
      "a",
      '",',
      " n",
      '")',
      " Ban",
      " ",
      "\n",
    ]);
    // " banan" only grows to " banana" (not closed mid-word), then only closes: no " bananan"
    expect(allowed(guard.apply(logits(), 'count(" banan', source))).toEqual(["a"]);
    expect(allowed(guard.apply(logits(), 'count(" banana', source))).toEqual(['",', '")']);
  });

  it("closes a word only where the question's word ends; a one-letter string anywhere", () => {
    expect(allowed(guard.apply(logits(), 'count(" ban', source))).toEqual(["an", "a"]);
    expect(allowed(guard.apply(logits(), 'count(" banana", " n', "How many ns in banana?"))).toContain('")');
  });

  it("lets no run of spaces or newlines grow that the question lacks", () => {
    const out = allowed(guard.apply(logits(), 'search("  ', "who is  Ada Lovelace?"));
    expect(out).not.toContain(" ");
    expect(out).not.toContain("\n");
    expect(allowed(guard.apply(logits(), 'count(" banana', source))).not.toContain("\n");
  });

  it("allows pieces of multi-byte characters only when the question has some", () => {
    expect(allowed(guard.apply(logits(), 'search("', "谁是 Ada?"))).toContain("\uFFFD");
    expect(allowed(guard.apply(logits(), 'search("', "who is Ada?"))).not.toContain("\uFFFD");
  });

  it("masks a word the question lacks and the end of the code inside a string", () => {
    const out = allowed(guard.apply(logits(), 'count("', source));
    expect(out).not.toContain(" meet");
    expect(out).not.toContain("<|python_end|>");
  });

  it("guards only the named calls when given", () => {
    const l = logits();
    expect(guard.apply(l, 'search(" ban', source, ["count"])).toBe(l);
    expect(guard.apply(l, 'count(" ban', source, ["count"])).not.toBe(l);
  });

  it("leaves the logits alone outside strings and when the string is already off the question", () => {
    const l = logits();
    expect(guard.apply(l, 'count(" banana", " n")', source)).toBe(l);
    expect(guard.apply(l, "Math.max(9.11, ", source)).toBe(l);
    expect(guard.apply(l, 'count(" meet', source)).toBe(l);
  });
});
