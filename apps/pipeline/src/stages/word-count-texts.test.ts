import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CorpusSearch } from "@llm/engine";
import { naturalPrompts, normalizePrompt } from "@llm/probes";
import { factDocuments, generateKnowledgeBase } from "@llm/sft";
import { afterAll, describe, expect, it } from "vitest";
import { small } from "../presets/small.js";
import { RunDir } from "../run-dir.js";
import { sftMixture } from "./sft-data.js";
import { isEvalText, wordCountTexts } from "./word-count-texts.js";

const withShare = (share: number) => ({
  ...small,
  sft: { ...small.sft, wordCount: { ...small.sft.wordCount, corpusTextShare: share } },
});

describe("wordCountTexts", () => {
  const dir = mkdtemp(join(tmpdir(), "word-count-texts-"));
  afterAll(async () => rm(await dir, { recursive: true, force: true }));

  it("reads the corpus prose's plain sentences, not its task or knowledge documents nor an eval text", async () => {
    const run = new RunDir(await dir);
    expect(await wordCountTexts(run, withShare(0))).toBeUndefined();
    await expect(wordCountTexts(run, withShare(0.5))).rejects.toMatchObject({ code: "FILE_NOT_FOUND" });
    const evalPrompt = naturalPrompts().wordCount.find((p) => p.includes("the cat sat on the mat"));
    expect(evalPrompt).toBeDefined();
    const documents = [
      { text: "The sea was calm and the sky was clear. The cat sat on the mat." },
      { text: "Q: How many words are in this list of words please", metadata: { source: "task" } },
      { text: "Zetordun was born in the town of Lomek long ago.", metadata: { source: "knowledge" } },
      { text: "Then I went down to the ship\nand we sailed away!", metadata: { source: "moby-dick" } },
    ];
    await mkdir(run.paths.data, { recursive: true });
    await writeFile(run.paths.trainDocuments, `${documents.map((d) => JSON.stringify(d)).join("\n")}\n`);
    expect(await wordCountTexts(run, withShare(0.5))).toEqual([
      ["the", "sea", "was", "calm", "and", "the", "sky", "was", "clear"],
      ["then", "I", "went", "down", "to", "the", "ship", "and", "we", "sailed", "away"],
    ]);
    // SFT's mixture asks them in its other phrasings
    const texts = await wordCountTexts(run, withShare(1));
    const kb = generateKnowledgeBase({ seed: small.seed, count: 8 });
    const search = new CorpusSearch(factDocuments(kb, { copies: 1 }).map((d) => d.text));
    const prompts = sftMixture(
      withShare(1),
      kb,
      "steps-first",
      undefined,
      (q) => search.search(q),
      texts,
    ).train.flatMap((c) => c.messages.filter((m) => m.role === "user").map((m) => m.content));
    expect(prompts.some((p) => p.includes("the sea was calm and the sky was clear"))).toBe(true);
    await writeFile(run.paths.trainDocuments, `${JSON.stringify({ text: "No. Yes 42 times." })}\n`);
    await expect(wordCountTexts(run, withShare(0.5))).rejects.toMatchObject({ code: "INVALID_CONFIG" });
  });

  it("calls a text an eval text only when it is a run of whole words of an eval prompt", () => {
    const prompts = [` ${normalizePrompt("Count the words in: the cat sat on the mat!")} `];
    expect(isEvalText(["the", "cat", "sat"], prompts)).toBe(true);
    expect(isEvalText(["The", "Cat", "sat", "on", "the", "mat"], prompts)).toBe(true);
    expect(isEvalText(["he", "cat", "sat"], prompts)).toBe(false);
    expect(isEvalText(["the", "cat", "sat", "on", "a", "mat"], prompts)).toBe(false);
  });
});
