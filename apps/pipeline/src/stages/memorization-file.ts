/**
 * data/memorization.json of a run (data.memorization): the passages @llm/data's
 * selectMemorizationPassages cut out of the corpus, written by the data stage, read by the
 * pretrain stage (which writes each group's passages into that many rows) and by @llm/probes'
 * loadProbeContext for the repeater probe. Reference: Carlini et al. 2022. Leaves out: nothing.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { LlmError } from "@llm/core";
import type { MemorizationSet } from "@llm/data";
import type { RunDir } from "../run-dir.js";

/** data/memorization.json: what @llm/probes' loadProbeContext reads for the repeater probe. */
export type MemorizationFile = MemorizationSet;

export function memorizationPath(run: RunDir): string {
  return run.paths.memorization;
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
