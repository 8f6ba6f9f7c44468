/**
 * Readers of what the tokenizer stage wrote: the tokenizer (tokenizer/tokenizer.json) and the
 * train and validation token shards (data/shards/train_*.bin, val_*.bin).
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { LlmError } from "@llm/core";
import { BpeTokenizer } from "@llm/tokenizer";
import type { RunDir } from "../run-dir.js";

export async function loadRunTokenizer(run: RunDir): Promise<BpeTokenizer> {
  return BpeTokenizer.load(run.paths.tokenizerJson);
}

export async function shardFiles(dir: string): Promise<{ train: string[]; val: string[] }> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith(".bin")).sort();
  const train = names.filter((n) => n.startsWith("train_")).map((n) => join(dir, n));
  const val = names.filter((n) => n.startsWith("val_")).map((n) => join(dir, n));
  if (train.length === 0 || val.length === 0) {
    throw new LlmError("FILE_NOT_FOUND", "The run has no train or validation token shards.", {
      input: dir,
      hint: "Rerun the tokenizer stage: pnpm pipeline --from tokenizer.",
    });
  }
  return { train, val };
}
