import { describe, expect, it } from "vitest";
import { repeatDocuments } from "./repeat-documents.js";

const natural = [
  {
    id: "a",
    text: "Call me Ishmael. Some years ago never mind how long precisely having little or no money",
    metadata: { source: "moby-dick" },
  },
  { id: "b", text: "too short", metadata: { source: "moby-dick" } },
];

describe("repeatDocuments", () => {
  it("repeat documents write one span of a long enough document twice, deterministically", () => {
    const docs = repeatDocuments(natural, 5, 7, 4, 8);
    expect(docs).toHaveLength(5);
    for (const doc of docs) {
      const [first, second] = doc.text.split("\n");
      expect(first).toBe(second);
      const n = first!.split(" ").length;
      expect(n).toBeGreaterThanOrEqual(4);
      expect(n).toBeLessThanOrEqual(8);
      expect(natural[0]!.text).toContain(first);
      expect(doc.metadata?.source).toBe("repeat");
    }
    expect(repeatDocuments(natural, 5, 7, 4, 8)).toEqual(docs);
    expect(repeatDocuments([natural[1]!], 3, 7, 4, 8)).toEqual([]);
  });
});
