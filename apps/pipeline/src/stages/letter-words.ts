/**
 * The letter tasks' word list of a run: with data.letterWords.source "corpus" the data stage
 * counts the cleaned corpus' words once (@llm/sft's countCorpusWords) and writes
 * data/letter-words.json; SFT, RL and the probes read it here. With "builtin", @llm/sft's built-in
 * list is used (undefined). Reference: none. Leaves out: nothing.
 */
import { readFile } from "node:fs/promises";
import { LlmError } from "@llm/core";
import type { PipelineConfig } from "../pipeline-config.js";
import type { RunDir } from "../run-dir.js";

/** Where the data stage writes the corpus words of a run. */
export function letterWordsPath(run: RunDir): string {
  return run.paths.letterWords;
}

/** The word list of the letter tasks for a run: its corpus words, or undefined for @llm/sft's built-in list. */
export async function letterWords(run: RunDir, config: PipelineConfig): Promise<string[] | undefined> {
  if (config.data.letterWords.source === "builtin") return undefined;
  const path = letterWordsPath(run);
  const text = await readFile(path, "utf8").catch(() => {
    throw new LlmError("FILE_NOT_FOUND", "The run has no corpus word list for the letter tasks.", {
      input: path,
      hint: "Rerun the data stage: pnpm pipeline --from data.",
    });
  });
  return JSON.parse(text) as string[];
}
