/**
 * ToolGrammarGuard on a toy vocabulary: the code of a tool call can only grow as a call of a named
 * tool with literal arguments (no invented name, nothing after the closing parenthesis) and
 * <|python_end|> comes only after a whole call; callState / isToolCall on the grammar itself.
 */
import { describe, expect, it } from "vitest";
import { allowedPieces, pieceTokenizer } from "./piece-tokenizer.js";
import { callState, isToolCall, ToolGrammarGuard } from "./tool-grammar-guard.js";

const NAMES = ["count", "search", "Math.max", "Math.min"];

describe("the tool-call grammar", () => {
  it("accepts the calls the SFT data writes and nothing else", () => {
    for (const code of [
      'count(" strawberry", " r")',
      'search(" Abraham Lincoln")',
      "Math.max(9.11, 9.9)",
      "Math.min(-3, 0.5)",
      " search('it\\'s')",
      "search()",
    ])
      expect(isToolCall(code, NAMES), code).toBe(true);
    for (const code of [
      'Venarch(" Syntax")',
      "ololath.max(",
      'search(" V Venarch(" V Venarch(" V V j")',
      "Math.max(9.)",
      "Math.max(9.11,)",
      "Math.random()",
      'search("a") + 1',
      'search("a"',
    ])
      expect(isToolCall(code, NAMES), code).toBe(false);
  });

  it("tells a prefix of a call from code that can no longer be one", () => {
    expect(callState("Mat", NAMES)?.phase).toBe("name");
    expect(callState('search(" Ab', NAMES)?.phase).toBe("string");
    expect(callState("Math.max(9.1", NAMES)?.phase).toBe("number");
    expect(callState("Math.max(9.1, ", NAMES)?.phase).toBe("comma");
    expect(callState("Ven", NAMES)).toBeUndefined();
    expect(callState('search(" V")x', NAMES)).toBeUndefined();
  });
});

const PIECES = [
  "search",
  "(",
  '"',
  " V",
  "enarch",
  '")',
  "Ven",
  "<|python_end|>",
  "\uFFFD",
  "Math",
  ".max",
  "9",
  ".",
  ",",
  ")",
  "<|assistant_end|>",
  " ",
  "s",
];
const tokenizer = pieceTokenizer(PIECES, { "<|python_end|>": 7, "<|assistant_end|>": 15 });
const allowed = (logits: Float32Array) => allowedPieces(logits, PIECES);
const logits = () => new Float32Array(PIECES.length).fill(1);

describe("ToolGrammarGuard", () => {
  const guard = new ToolGrammarGuard(tokenizer);

  it("lets a call start only with a tool's name", () => {
    expect(allowed(guard.apply(logits(), "", NAMES))).toEqual(["search", "Math", " ", "s"]);
    expect(allowed(guard.apply(logits(), "Math", NAMES))).toEqual([".max", "."]);
    expect(allowed(guard.apply(logits(), "search", NAMES))).toEqual(["("]);
  });

  it("allows any string content, then only ',' or ')', and <|python_end|> after a whole call", () => {
    const inString = allowed(guard.apply(logits(), 'search("', NAMES));
    // every text piece and a byte piece inside a string; no special token
    expect(inString).toEqual(PIECES.filter((p) => p !== "<|python_end|>" && p !== "<|assistant_end|>"));
    expect(allowed(guard.apply(logits(), 'search(" V"', NAMES))).toEqual([",", ")", " "]);
    expect(allowed(guard.apply(logits(), 'search(" V")', NAMES))).toEqual(["<|python_end|>", " "]);
  });

  it("keeps number literals numbers", () => {
    expect(allowed(guard.apply(logits(), "Math.max(", NAMES))).toEqual(['"', '")', "9", ")", " "]); // '")': an empty string and the end
    expect(allowed(guard.apply(logits(), "Math.max(9", NAMES))).toEqual(["9", ".", ",", ")", " "]);
    expect(allowed(guard.apply(logits(), "Math.max(9.", NAMES))).toEqual(["9"]);
  });

  it("leaves the logits alone off the grammar and keeps masked tokens masked", () => {
    const row = logits();
    expect(guard.apply(row, "Venarch(", NAMES)).toBe(row);
    const masked = logits();
    masked[0] = Number.NEGATIVE_INFINITY;
    expect(allowed(guard.apply(masked, "", NAMES))).toEqual(["Math", " ", "s"]);
  });
});
