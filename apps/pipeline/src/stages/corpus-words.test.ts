import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeJsonAtomic } from "@llm/core";
import { afterAll, describe, expect, it } from "vitest";
import { small } from "../presets/small.js";
import { RunDir } from "../run-dir.js";
import { countCorpusWords, letterWords, letterWordsPath } from "./corpus-words.js";

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

  const dir = mkdtemp(join(tmpdir(), "corpus-words-"));
  afterAll(async () => rm(await dir, { recursive: true, force: true }));

  it("reads the word list the data stage wrote, or none for the built-in words", async () => {
    const run = new RunDir(await dir);
    const builtin = {
      ...small,
      data: { ...small.data, letterWords: { ...small.data.letterWords, source: "builtin" as const } },
    };
    expect(await letterWords(run, builtin)).toBeUndefined();
    await expect(letterWords(run, small)).rejects.toMatchObject({ code: "FILE_NOT_FOUND" });
    await mkdir(run.paths.data, { recursive: true });
    const words = countCorpusWords(docs, { minCount: 2, maxWords: 3 });
    await writeJsonAtomic(letterWordsPath(run), words);
    expect(await letterWords(run, small)).toEqual(["the", "whale", "ahab"]);
  });
});
