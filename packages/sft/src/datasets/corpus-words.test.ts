import { describe, expect, it } from "vitest";
import { countCorpusWords } from "./corpus-words.js";

const docs = [
  {
    id: "a",
    text: "The whale, the WHALE! Ahab saw the whale; a sea of whales.",
    metadata: { source: "moby-dick" },
  },
  {
    id: "b",
    text: "Ahab and the sea: the whale again. x9 ok supercalifragilistic",
    metadata: { source: "moby-dick" },
  },
  { id: "k", text: "Narvenlo Narvenlo Narvenlo is a town.", metadata: { source: "knowledge" } },
];

describe("countCorpusWords", () => {
  it("keeps 3-12 letter words seen often enough, most frequent first, without fact documents", () => {
    expect(countCorpusWords(docs, { minCount: 2, maxWords: 10 })).toEqual(["the", "whale", "ahab", "sea"]);
    expect(countCorpusWords(docs, { minCount: 1, maxWords: 2 })).toEqual(["the", "whale"]);
    const all = countCorpusWords(docs, { minCount: 1, maxWords: 100 });
    expect(all).not.toContain("narvenlo");
    expect(all).not.toContain("ok");
    expect(all).not.toContain("supercalifragilistic");
    expect(all).toContain("whales");
  });
});
