/**
 * The memorization passages of a run (data.memorization): the data stage cuts them out of the
 * corpus (@llm/data's cutPassages) and writes data/memorization.json, groups of passages with the
 * number of times pretraining sees each, and held-out passages it never sees; the pretrain stage
 * writes each group's passages into that many rows (@llm/data's RepeatedDocumentsSource), and the
 * repeater probe (@llm/probes, which reads the same file through loadProbeContext) measures
 * verbatim continuation per group. Reference: Carlini et al. 2022, "Quantifying Memorization
 * Across Neural Language Models". Leaves out: passages from the synthetic sources.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { Document, Tokenizer } from "@llm/core";
import { LlmError } from "@llm/core";
import { cutPassages, type RepeatedDocument } from "@llm/data";
import type { MemorizationConfig } from "../pipeline-config.js";
import type { RunDir } from "../run-dir.js";

/** data/memorization.json: what @llm/probes' loadProbeContext reads for the repeater probe. */
export interface MemorizationFile {
  /** Tokens of each passage that pretraining saw (the first ones of its encoding). */
  passageTokens: number;
  /** Passages seen `repeats` times each. */
  groups: Array<{ repeats: number; texts: string[] }>;
  /** Passages of the same sources never seen. */
  heldOut: string[];
}

export function memorizationPath(run: RunDir): string {
  return run.paths.memorization;
}

/**
 * Cuts the passages out of the natural training documents: the first `heldOutPassages` drawn are
 * held out, the next ones fill the groups in the order of `repeats`.
 */
export function selectMemorizationPassages(
  natural: readonly Document[],
  config: MemorizationConfig,
  seed: number,
): { file: MemorizationFile; documents: Document[] } {
  const per = config.passagesPerCount;
  const { passages, documents } = cutPassages(natural, {
    count: config.heldOutPassages + per * config.repeats.length,
    chars: config.passageChars,
    sources: config.sources,
    seed: `memorization:${seed}`,
  });
  const texts = passages.map((p) => p.text);
  const heldOut = texts.slice(0, config.heldOutPassages);
  const groups = config.repeats.map((repeats, g) => {
    const from = config.heldOutPassages + g * per;
    return { repeats, texts: texts.slice(from, from + per) };
  });
  return { file: { passageTokens: config.passageTokens, groups, heldOut }, documents };
}

export async function readMemorizationFile(run: RunDir): Promise<MemorizationFile | undefined> {
  const path = memorizationPath(run);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(await readFile(path, "utf8")) as MemorizationFile;
  } catch (cause) {
    throw new LlmError("FILE_CORRUPT", "data/memorization.json is not valid JSON.", {
      input: path,
      hint: "Rerun the data stage (--from data).",
      cause,
    });
  }
}

/** The groups' passages as RepeatedDocumentsSource documents: the first passageTokens ids of each. */
export function repeatedPassageDocuments(file: MemorizationFile, tokenizer: Tokenizer): RepeatedDocument[] {
  return file.groups.flatMap((group) =>
    group.texts.map((text) => ({
      ids: tokenizer.encode(text).slice(0, file.passageTokens),
      repeats: group.repeats,
    })),
  );
}
