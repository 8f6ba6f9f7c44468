/**
 * evaluateRun: the three base-model evaluations of this folder on a pipeline run's checkpoint
 * (`llm-probes evaluate`): copyScore on the run's validation shards (the first `batches` batches
 * of `batchSize` rows, unshuffled, as the pretrain stage measures it), factRecall on the known
 * entities of data/knowledge.json, and nameFamiliarity of every entity, averaged per split kind
 * (a name the model has read scores nearer 0 than one it never saw). With the pretrain stage's
 * batch size (read from the run's config.json when not given) the copy score and fact recall are
 * the numbers the pipeline's report shows for the base model.
 * Reference: the run folder of @llm/core (runPaths). Leaves out: the SFT-side choice of refusals
 * (unfamiliarEntities needs a quantile; the pipeline's sft.knowledge.refusalFromBase).
 */
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { LlmError, RUN_CHECKPOINTS, type RunCheckpoint, runPaths } from "@llm/core";
import { ShardBatchSource } from "@llm/data";
import { loadCheckpoint } from "@llm/model";
import type { KnowledgeBase } from "@llm/sft";
import { BpeTokenizer } from "@llm/tokenizer";
import { type CopyScore, copyScore } from "./copy-score.js";
import { type FactRecall, factRecall } from "./fact-recall.js";
import { nameFamiliarity } from "./name-familiarity.js";

export interface EvaluateRunOptions {
  /** The checkpoint of the run to evaluate (base, sft, sft-answer-first, rl). Default "base". */
  stage?: RunCheckpoint;
  /** Rows per validation batch. Default: the run's pretrain.batchSize (config.json), else 8. */
  batchSize?: number;
  /** Validation batches the copy score reads. Default 2, as the pretrain stage. */
  batches?: number;
}

export interface RunEvaluation {
  stage: RunCheckpoint;
  copyScore: CopyScore;
  /** Absent when the run has no data/knowledge.json. */
  factRecall?: FactRecall;
  /** Mean nameFamiliarity of the known (documented) and unknown (never seen) entities' names. */
  nameFamiliarity?: { known: number; unknown: number; entities: number };
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, "utf8"));
  } catch (cause) {
    throw new LlmError("FILE_CORRUPT", `${path} is not valid JSON.`, {
      input: path,
      hint: "Rerun the pipeline stage that writes it.",
      cause,
    });
  }
}

function need(path: string, what: string, hint: string): void {
  if (!existsSync(path))
    throw new LlmError("FILE_NOT_FOUND", `The run has no ${what}.`, { input: path, hint });
}

export async function evaluateRun(runDir: string, options: EvaluateRunOptions = {}): Promise<RunEvaluation> {
  const paths = runPaths(runDir);
  const stage = options.stage ?? "base";
  if (!RUN_CHECKPOINTS.includes(stage)) {
    throw new LlmError("INVALID_ARGUMENT", `There is no checkpoint ${JSON.stringify(stage)} in a run.`, {
      input: stage,
      hint: `Use one of ${RUN_CHECKPOINTS.join(", ")}.`,
    });
  }
  need(paths.root, "folder", "Pass a folder written by the pipeline, e.g. runs/<name>.");
  need(paths.tokenizerJson, "tokenizer", "Run the pipeline's tokenizer stage first.");
  need(
    paths.checkpoint(stage),
    `${stage} checkpoint`,
    "Run the pipeline's pretrain stage first (or pass --stage).",
  );
  const val = (await readdir(paths.shards).catch(() => [] as string[]))
    .filter((name) => name.startsWith("val_") && name.endsWith(".bin"))
    .sort()
    .map((name) => join(paths.shards, name));
  if (val.length === 0) {
    throw new LlmError("FILE_NOT_FOUND", "The run has no validation token shards.", {
      input: paths.shards,
      hint: "Rerun the tokenizer stage: pnpm pipeline --from tokenizer.",
    });
  }
  const config = existsSync(paths.config)
    ? ((await readJson(paths.config)) as { preset?: { pretrain?: { batchSize?: number } } })
    : {};
  const batchSize = options.batchSize ?? config.preset?.pretrain?.batchSize ?? 8;
  const tokenizer = await BpeTokenizer.load(paths.tokenizerJson);
  const bosId = tokenizer.specialId("<|bos|>");
  const { model } = await loadCheckpoint(paths.checkpoint(stage));
  const source = await ShardBatchSource.open({
    shards: val,
    batchSize,
    seqLen: model.config.seqLen,
    valFraction: 0,
    shuffle: false,
  });
  try {
    const result: RunEvaluation = {
      stage,
      copyScore: await copyScore(model, source, bosId, options.batches ?? 2),
    };
    if (existsSync(paths.knowledge)) {
      const kb = (await readJson(paths.knowledge)) as KnowledgeBase;
      result.factRecall = await factRecall(model, tokenizer, kb, bosId);
      const known: number[] = [];
      const unknown: number[] = [];
      for (const entity of kb.entities) {
        const score = await nameFamiliarity(model, tokenizer, bosId, entity);
        (entity.split.startsWith("known") ? known : unknown).push(score);
      }
      const mean = (xs: number[]) =>
        xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
      result.nameFamiliarity = { known: mean(known), unknown: mean(unknown), entities: kb.entities.length };
    }
    return result;
  } finally {
    await source.close();
    model.dispose();
  }
}
