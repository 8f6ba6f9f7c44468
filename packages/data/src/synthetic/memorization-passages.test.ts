import type { Document } from "@llm/core";
import { describe, expect, it } from "vitest";
import { ByteTokenizer } from "../testing/byte-tokenizer.js";
import { seededProse } from "../testing/seeded-prose.js";
import { repeatedPassageDocuments, selectMemorizationPassages } from "./memorization-passages.js";

const natural: Document[] = [
  ...Array.from({ length: 20 }, (_, i) => ({
    id: `book/${i}`,
    text: seededProse(i, 30),
    metadata: { source: "book" },
  })),
  ...Array.from({ length: 5 }, (_, i) => ({
    id: `mail/${i}`,
    text: seededProse(50 + i, 30),
    metadata: { source: "mail" },
  })),
];
const config = {
  repeats: [1, 4, 16],
  passagesPerCount: 3,
  heldOutPassages: 4,
  passageChars: 80,
  passageTokens: 24,
  sources: ["book"],
};

describe("selectMemorizationPassages", () => {
  it("cuts held-out passages and one group per count out of the chosen sources, deterministically", () => {
    const { set, documents } = selectMemorizationPassages(natural, config, 3);
    expect(set.passageTokens).toBe(24);
    expect(set.heldOut).toHaveLength(4);
    expect(set.groups.map((g) => g.repeats)).toEqual([1, 4, 16]);
    for (const g of set.groups) expect(g.texts).toHaveLength(3);
    const all = [...set.heldOut, ...set.groups.flatMap((g) => g.texts)];
    expect(new Set(all).size).toBe(all.length);
    const rest = documents.map((d) => d.text).join("\n");
    for (const text of all) {
      expect(text.length).toBeGreaterThanOrEqual(80);
      expect(rest).not.toContain(text);
      expect(natural.some((d) => d.metadata?.source === "book" && d.text.includes(text))).toBe(true);
    }
    expect(selectMemorizationPassages(natural, config, 3).set).toEqual(set);
    expect(selectMemorizationPassages(natural, config, 4).set).not.toEqual(set);
  });

  it("gives each group's passages as RepeatedDocumentsSource documents of passageTokens ids", () => {
    const { set } = selectMemorizationPassages(natural, config, 3);
    const tokenizer = new ByteTokenizer();
    const docs = repeatedPassageDocuments(set, tokenizer);
    expect(docs.map((d) => d.repeats)).toEqual([1, 1, 1, 4, 4, 4, 16, 16, 16]);
    const texts = set.groups.flatMap((g) => g.texts);
    docs.forEach((d, i) => {
      expect(d.ids).toEqual(tokenizer.encode(texts[i]!).slice(0, 24));
    });
  });
});
