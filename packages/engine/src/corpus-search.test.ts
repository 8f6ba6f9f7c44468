import { describe, expect, it } from "vitest";
import { CorpusSearch } from "./corpus-search.js";

const documents = [
  "In Lomek there is a baker called Wilnar.",
  "Wilnar works as a baker. Wilnar lives in Lomek.",
  "Wilnar is a baker from Lomek.",
  "Lomek is a town in Torven, known for its wool.",
  "Call me Ishmael. Some years ago, never mind how long precisely, I went to sea with Wilnarson.",
];

describe("CorpusSearch", () => {
  it("ranks documents that start with the query first, then shorter ones", () => {
    const search = new CorpusSearch(documents, { maxResults: 3 });
    expect(search.search("Wilnar")).toEqual([
      "Wilnar is a baker from Lomek.",
      "Wilnar works as a baker. Wilnar lives in Lomek.",
      "In Lomek there is a baker called Wilnar.",
    ]);
    expect(new CorpusSearch(documents, { maxResults: 4 }).search("Lomek")).toEqual([
      "Lomek is a town in Torven, known for its wool.",
      "In Lomek there is a baker called Wilnar.",
      "Wilnar is a baker from Lomek.",
      // a match after the start of a document: the snippet starts at its sentence
      "Wilnar lives in Lomek.",
    ]);
  });

  it("matches whole words, case-insensitively, and finds nothing for an unseen name", () => {
    const search = new CorpusSearch(documents);
    expect(search.search("wilnar")).toEqual(["Wilnar is a baker from Lomek."]);
    expect(search.search("Wilnarson")).toEqual([
      "Some years ago, never mind how long precisely, I went to sea with Wilnarson.",
    ]);
    expect(search.search("Wil")).toEqual([]);
    expect(search.search("Venquimek")).toEqual([]);
    expect(search.search("  ")).toEqual([]);
    expect(search.size).toBe(5);
  });

  it("cuts long documents to a snippet", () => {
    const search = new CorpusSearch([`Ahab ${"stood on deck and ".repeat(30)}looked.`], { snippetChars: 40 });
    const [snippet] = search.search("Ahab");
    expect(snippet).toBe("Ahab stood on deck and stood on deck and...");
  });

  it("rejects bad options with a typed error", () => {
    expect(() => new CorpusSearch([], { maxResults: 0 })).toThrow(/maxResults must be a positive integer/);
    expect(() => new CorpusSearch([], { snippetChars: 1.5 })).toThrow(/snippetChars/);
  });
});
