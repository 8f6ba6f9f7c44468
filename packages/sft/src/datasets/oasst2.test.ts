import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { flattenOasst2, parseOasst2Jsonl } from "./oasst2.js";

const rows = parseOasst2Jsonl(
  readFileSync(new URL("../__fixtures__/oasst2-sample.jsonl", import.meta.url), "utf8"),
);
const texts = (c: { messages: { content: string }[] }) => c.messages.map((m) => m.content);

describe("oasst2", () => {
  it("parses rows in the oasst2 schema", () => {
    expect(rows).toHaveLength(16);
    expect(rows[0]).toMatchObject({ message_id: "p1", parent_id: null, role: "prompter", lang: "en" });
  });

  it("flattens every root-to-leaf path, dropping deleted and failed-review subtrees", () => {
    const conversations = flattenOasst2(rows);
    expect(conversations.map(texts)).toEqual([
      [
        "What is the capital of France?",
        "The capital of France is Paris.",
        "And of Italy?",
        "Rome is the capital of Italy, I think.",
      ],
      [
        "What is the capital of France?",
        "The capital of France is Paris.",
        "And of Italy?",
        "The capital of Italy is Rome.",
      ],
      ["What is the capital of France?", "Paris."],
      ["你好，请介绍一下北京。", "北京是中国的首都。"],
      ["你好，请介绍一下北京。", "北京是中国的首都，历史悠久。"],
      ["Wie spät ist es?", "Das kann ich nicht wissen."],
    ]);
    expect(conversations[0]?.messages.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
    expect(conversations[0]?.source).toBe("oasst2");
  });

  it("keeps only the best-ranked path per tree", () => {
    expect(flattenOasst2(rows, { mode: "best-path" }).map(texts)).toEqual([
      [
        "What is the capital of France?",
        "The capital of France is Paris.",
        "And of Italy?",
        "The capital of Italy is Rome.",
      ],
      ["你好，请介绍一下北京。", "北京是中国的首都，历史悠久。"],
      ["Wie spät ist es?", "Das kann ich nicht wissen."],
    ]);
  });

  it("filters by language", () => {
    const zhEn = flattenOasst2(rows, { languages: ["en", "zh"] });
    expect(zhEn).toHaveLength(5);
    expect(flattenOasst2(rows, { languages: ["zh"] }).every((c) => c.metadata?.lang === "zh")).toBe(true);
  });

  it("keeps failed-review messages when asked", () => {
    const all = flattenOasst2(rows, { dropFailedReview: false });
    expect(all.map(texts)).toContainEqual([
      "What is the capital of France?",
      "Paris.",
      "spam spam",
      "Reply to spam.",
    ]);
  });

  it("reports a corrupt line with its number", () => {
    expect(() => parseOasst2Jsonl('{"message_id": "a"}\nnot json', "x.jsonl")).toThrow(/x.jsonl:1|Line 1/);
  });
});
