import type { Document } from "@llm/core";
import { describe, expect, it } from "vitest";
import { seededProse } from "../testing/seeded-prose.js";
import { cutPassages } from "./cut-passages.js";

const documents: Document[] = [
  ...Array.from({ length: 12 }, (_, i) => ({
    id: `book/${i}`,
    text: seededProse(i, 40),
    metadata: { source: "book" },
  })),
  ...Array.from({ length: 6 }, (_, i) => ({
    id: `mail/${i}`,
    text: seededProse(100 + i, 40),
    metadata: { source: "mail" },
  })),
];

describe("cutPassages", () => {
  it("cuts sentence-start passages of the chosen sources and leaves nothing of them in the documents", () => {
    const { passages, documents: rest } = cutPassages(documents, {
      count: 8,
      chars: 120,
      sources: ["book"],
      seed: 1,
    });
    expect(passages).toHaveLength(8);
    expect(new Set(passages.map((p) => p.documentId)).size).toBe(8);
    for (const p of passages) {
      expect(p.source).toBe("book");
      expect(p.text.length).toBeGreaterThanOrEqual(120);
      expect(p.text).toMatch(/^[A-Z]/);
      expect(p.text).not.toMatch(/\s$/);
      for (const d of rest) expect(d.text.includes(p.text.slice(0, 48))).toBe(false);
      // the document it came from is its two sides, which together are the rest of its text
      const original = documents.find((d) => d.id === p.documentId)!.text;
      const sides = rest.filter((d) => d.id.startsWith(`${p.documentId}#`)).map((d) => d.text);
      expect(sides).toHaveLength(2);
      expect(original.replace(/\s+/g, "")).toBe(`${sides[0]}${p.text}${sides[1]}`.replace(/\s+/g, ""));
    }
    expect(rest.filter((d) => d.metadata?.source === "mail")).toEqual(
      documents.filter((d) => d.id.startsWith("mail")),
    );
  });

  it("skips a passage that also occurs in another document, and is deterministic for a seed", () => {
    const first = cutPassages(documents, { count: 4, chars: 120, sources: ["book"], seed: 3 });
    expect(cutPassages(documents, { count: 4, chars: 120, sources: ["book"], seed: 3 })).toEqual(first);
    const quoted = first.passages[0]!;
    // the same passage quoted in a mail: it cannot be "never seen" any more
    const withQuote = [
      ...documents,
      { id: "mail/quote", text: `As they wrote: ${quoted.text}`, metadata: { source: "mail" } },
    ];
    const again = cutPassages(withQuote, { count: 4, chars: 120, sources: ["book"], seed: 3 });
    expect(again.passages.map((p) => p.text)).not.toContain(quoted.text);
    for (const p of again.passages)
      for (const d of again.documents) expect(d.text.includes(p.text.slice(-48))).toBe(false);
  });

  it("fails with a typed error when the documents cannot give enough passages", () => {
    expect(() => cutPassages(documents, { count: 20, chars: 120, sources: ["book"] })).toThrow(
      /only \d+ of 20/,
    );
    expect(() => cutPassages(documents, { count: 2, chars: 10 })).toThrow(/chars >= checkChars/);
  });
});
