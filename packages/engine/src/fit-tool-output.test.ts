/**
 * fitToolOutput on the byte tokenizer (one token per byte): short outputs stay as they are, long
 * ones are cut to the token limit with "..." before their closing quotes and brackets, never
 * inside a multi-byte character.
 */
import { ByteTokenizer } from "@llm/sft/testing";
import { describe, expect, it } from "vitest";
import { fitToolOutput } from "./fit-tool-output.js";

const tok = new ByteTokenizer();

describe("fitToolOutput", () => {
  it("leaves an output that fits unchanged", () => {
    expect(fitToolOutput('["Ada is a poet."]', 18, tok)).toBe('["Ada is a poet."]');
    expect(fitToolOutput("3", 1, tok)).toBe("3");
  });

  it("cuts a long search result to the limit, keeping its closing quote and bracket", () => {
    const output = JSON.stringify([
      "No president since Abraham Lincoln has seen such horrific loss of life.",
    ]);
    const cut = fitToolOutput(output, 30, tok);
    expect(cut).toBe('["No president since Abra..."]');
    expect(tok.encode(cut).length).toBe(30);
    expect(JSON.parse(cut)).toEqual(["No president since Abra..."]);
  });

  it("uses the whole limit when the text allows it", () => {
    const output = "x".repeat(100);
    expect(fitToolOutput(output, 10, tok)).toBe(`${"x".repeat(7)}...`);
  });

  it("never splits a multi-byte character", () => {
    // "é" is two bytes: 3 of them (6 bytes) + "..." fit in 9 tokens, a fourth half would not
    const cut = fitToolOutput("éééééééé", 10, tok);
    expect(cut).toBe("ééé...");
    expect(cut).not.toContain("\uFFFD");
  });

  it("gives an empty output when not even the cut mark fits", () => {
    expect(fitToolOutput('["abcdef"]', 4, tok)).toBe("");
    expect(fitToolOutput("abcdef", 0, tok)).toBe("");
  });
});
