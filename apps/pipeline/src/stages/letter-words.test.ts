import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeJsonAtomic } from "@llm/core";
import { countCorpusWords } from "@llm/sft";
import { afterAll, describe, expect, it } from "vitest";
import { small } from "../presets/small.js";
import { RunDir } from "../run-dir.js";
import { letterWords, letterWordsPath } from "./letter-words.js";

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

describe("letterWords", () => {
  const dir = mkdtemp(join(tmpdir(), "letter-words-"));
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
