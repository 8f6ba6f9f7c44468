import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeJsonAtomic } from "@llm/core";
import { afterAll, describe, expect, it } from "vitest";
import { small } from "../presets/small.js";
import { RunDir } from "../run-dir.js";
import { letterWords, letterWordsPath } from "./letter-words.js";

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
    await writeJsonAtomic(letterWordsPath(run), ["the", "whale", "ahab"]);
    expect(await letterWords(run, small)).toEqual(["the", "whale", "ahab"]);
  });
});
