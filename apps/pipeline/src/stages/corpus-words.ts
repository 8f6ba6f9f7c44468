/**
 * countCorpusWords: the words the letter-counting tasks ask about, taken from the run's own
 * cleaned corpus (fact, repeat and task documents left out): lowercase runs of 3-12 ASCII letters
 * seen at least `minCount` times, most frequent first, at most `maxWords`. The data stage counts
 * them once and writes data/letter-words.json; SFT and RL read that file (letterWords). Thousands of words instead of
 * @llm/sft's ~150 built-in ones, so that SFT cannot memorise a word per prompt and has to learn to
 * copy the asked word into the tool call. Reference: nanochat's SpellingBee, which draws from a
 * large English word list. Leaves out: non-ASCII words (the tasks count ASCII letters).
 */
import { readFile } from "node:fs/promises";
import { type Document, LlmError } from "@llm/core";
import type { PipelineConfig } from "../pipeline-config.js";
import type { RunDir } from "../run-dir.js";
import { SYNTHETIC_SOURCES } from "./copy-curriculum.js";

export interface CorpusWordsOptions {
  /** Minimum number of occurrences in the corpus. */
  minCount: number;
  /** Maximum number of words returned. */
  maxWords: number;
}

/** Counts the words of `documents` and returns the kept ones, most frequent first (ties alphabetical). */
export function countCorpusWords(documents: Iterable<Document>, options: CorpusWordsOptions): string[] {
  const counts = new Map<string, number>();
  for (const doc of documents) {
    if (SYNTHETIC_SOURCES.has(String(doc.metadata?.source))) continue;
    for (const match of doc.text.matchAll(/[A-Za-z]+/g)) {
      const word = match[0].toLowerCase();
      if (word.length < 3 || word.length > 12) continue;
      counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  return [...counts]
    .filter(([, n]) => n >= options.minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, options.maxWords)
    .map(([word]) => word);
}

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
