import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { flattenOasst2, type Oasst2Row, parseOasst2Jsonl } from "./oasst2.js";

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

  it("all-paths emits no truncated duplicate when a prompter reply has no answer", () => {
    const unanswered = (id: string, parent: string) => ({
      ...(rows[4] as Oasst2Row),
      message_id: id,
      parent_id: parent,
      text: `Unanswered follow-up ${id}`,
    });
    // a1 gets two follow-ups nobody answered; a2's only follow-up failed review, so a new
    // unanswered one leaves a2 a leaf as before.
    const withDeadEnds = [...rows, unanswered("q1", "a1"), unanswered("q2", "a1"), unanswered("q3", "a2")];
    const conversations = flattenOasst2(withDeadEnds).map(texts);
    expect(conversations).toEqual(flattenOasst2(rows).map(texts));
    expect(new Set(conversations.map((c) => c.join("\u0000"))).size).toBe(conversations.length);
    // A tree whose only follow-up is unanswered still gives its first exchange once.
    const single = flattenOasst2([rows[0] as Oasst2Row, rows[2] as Oasst2Row, unanswered("q4", "a2")]);
    expect(single.map(texts)).toEqual([["What is the capital of France?", "Paris."]]);
    expect(flattenOasst2(withDeadEnds, { mode: "best-path" }).map(texts)).toEqual(
      flattenOasst2(rows, { mode: "best-path" }).map(texts),
    );
  });

  it("reads the published trees JSONL format (one nested tree per line) like the message rows", () => {
    const treesText = readFileSync(
      new URL("../__fixtures__/oasst2-sample.trees.jsonl", import.meta.url),
      "utf8",
    );
    const fromTrees = parseOasst2Jsonl(treesText, "sample.trees.jsonl");
    expect(fromTrees).toHaveLength(rows.length);
    expect(flattenOasst2(fromTrees).map(texts)).toEqual(flattenOasst2(rows).map(texts));
    expect(flattenOasst2(fromTrees, { mode: "best-path" }).map(texts)).toEqual(
      flattenOasst2(rows, { mode: "best-path" }).map(texts),
    );
    // parent_id and message_tree_id come from the nesting when a node leaves them out.
    const bare = treesText.replace(/"parent_id": "[^"]+", /g, "");
    expect(flattenOasst2(parseOasst2Jsonl(bare)).map(texts)).toEqual(flattenOasst2(rows).map(texts));
  });

  it("names the supported formats when a line is neither a message nor a tree", () => {
    expect(() => parseOasst2Jsonl('{"conversation": []}', "x.jsonl")).toThrow(
      /neither an oasst2 message row .* nor a message tree/,
    );
  });

  it("reports a corrupt line with its number", () => {
    expect(() => parseOasst2Jsonl('{"message_id": "a"}\nnot json', "x.jsonl")).toThrow(/x.jsonl:1|Line 1/);
  });
});
