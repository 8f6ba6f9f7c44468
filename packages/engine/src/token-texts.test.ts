import { describe, expect, it } from "vitest";
import { pieceTokenizer } from "./piece-tokenizer.js";
import { tokenTexts } from "./token-texts.js";

// id 0 <|bos|>, 1 <|python_end|> (special), 2 " cat", 3 a piece of a multi-byte character, 4 "Sat"
const pieces = ["<|bos|>", "<|python_end|>", " cat", "\uFFFD", "Sat"];
const tokenizer = pieceTokenizer(pieces, { "<|bos|>": 0, "<|python_end|>": 1 });

describe("tokenTexts", () => {
  it("keeps special tokens' names by default and has no text for a piece of a character", () => {
    expect(tokenTexts(tokenizer)).toEqual(["<|bos|>", "<|python_end|>", " cat", undefined, "Sat"]);
  });

  it("reads special tokens as no text or as the empty string when asked", () => {
    expect(tokenTexts(tokenizer, "none")).toEqual([undefined, undefined, " cat", undefined, "Sat"]);
    expect(tokenTexts(tokenizer, "empty")).toEqual(["", "", " cat", undefined, "Sat"]);
  });
});
