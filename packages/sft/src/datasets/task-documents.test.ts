import { describe, expect, it } from "vitest";
import { decimalCompareTasks } from "./decimal-compare.js";
import { letterCountTasks } from "./letter-count.js";
import { conversationText, taskDocuments } from "./task-documents.js";

describe("task documents", () => {
  it("writes a tool conversation as plain text without special tokens", () => {
    const text = conversationText({
      messages: [
        { role: "user", content: 'How many "r" are in "berry"?' },
        { role: "assistant", content: "", toolCalls: [{ code: '"berry".split("r").length - 1' }] },
        { role: "tool", content: "2" },
        { role: "assistant", content: "#### 2" },
      ],
    });
    expect(text).toBe(
      'Q: How many "r" are in "berry"?\nCode: "berry".split("r").length - 1\nOutput: 2\nA: #### 2',
    );
  });

  it("task documents use only the training words and pairs of the SFT generators", () => {
    const words = Array.from(
      { length: 200 },
      (_, i) => `w${String.fromCharCode(97 + (i % 26))}ord${"abcdefgh"[i % 8]}${"xyz"[i % 3]}`,
    );
    const docs = taskDocuments(400, 11, words);
    expect(docs).toHaveLength(400);
    const text = docs.map((d) => d.text).join("\n");
    expect(text).not.toContain("<|");
    const heldWords = new Set(
      letterCountTasks({ seed: 11, words, evalCount: 50 }).eval.map((t) => String(t.metadata?.word)),
    );
    for (const word of heldWords) expect(text).not.toContain(`"${word}"`);
    for (const task of decimalCompareTasks({ seed: 11, evalCount: 50 }).eval) {
      const { a, b } = task.metadata as { a: string; b: string };
      expect(text).not.toContain(`Math.max(${a}, ${b})`);
      expect(text).not.toContain(`Math.max(${b}, ${a})`);
    }
    expect(docs.filter((d) => d.text.includes(".split(")).length).toBe(200);
  });

  it("task documents in the other phrasings copy the question's chunks into the call", () => {
    const docs = taskDocuments(400, 11, undefined, 1);
    const letters = docs.filter((d) => d.text.includes(".split("));
    expect(letters).toHaveLength(200);
    // unquoted words keep their space in the literal: Code: " word".split(...)
    const spaced = letters.filter((d) => /\nCode: " [a-z]+"\.split\(/.test(d.text));
    expect(spaced.length).toBeGreaterThan(120);
    expect(docs.some((d) => d.text.includes("Math.min("))).toBe(true);
    // the same words and pairs as the template documents
    const plain = taskDocuments(400, 11);
    const codeOf = (text: string) => text.split("\n").find((l) => l.startsWith("Output: "));
    expect(docs.map((d) => codeOf(d.text)).slice(0, 200)).toEqual(
      plain.map((d) => codeOf(d.text)).slice(0, 200),
    );
  });
});
