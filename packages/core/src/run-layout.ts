/**
 * The run folder's layout, defined once: every file and folder a pipeline run leaves behind
 * (architecture.md, "The run directory"), the files of a model checkpoint folder, the stages
 * that write them, and path helpers (runPaths, checkpointPaths) that every package and app reads
 * paths from instead of spelling "tokenizer/tokenizer.json" themselves.
 * Reference: nanochat's base_dir layout; Hugging Face's checkpoint folder (config.json next to
 * model.safetensors). Leaves out: reading or validating the files (their owners do that) and
 * the lock file, which sits beside the folder (run-lock.ts, lockPathFor).
 */
import { join, resolve } from "node:path";

/** The pipeline's stages in dependency order; each has a marker `_stages/<stage>.json`. */
export const RUN_STAGES = ["data", "tokenizer", "pretrain", "sft", "rl", "probes", "report"] as const;

export type RunStage = (typeof RUN_STAGES)[number];

/** The model checkpoint folders of a run, in training order (each one a folder of CHECKPOINT_FILES). */
export const RUN_CHECKPOINTS = ["base", "sft", "sft-answer-first", "rl"] as const;

export type RunCheckpoint = (typeof RUN_CHECKPOINTS)[number];

/** The stage that writes each checkpoint folder. */
export const CHECKPOINT_WRITTEN_BY: Readonly<Record<RunCheckpoint, RunStage>> = {
  base: "pretrain",
  sft: "sft",
  "sft-answer-first": "sft",
  rl: "rl",
};

/** The files of one checkpoint folder (what @llm/model's saveCheckpoint writes). */
export const CHECKPOINT_FILES = {
  /** The model's GptConfig (JSON). */
  config: "config.json",
  /** The weights (safetensors). */
  model: "model.safetensors",
  /** AdamW moments, only in checkpoints saved for resuming (safetensors). */
  optimizer: "optimizer.safetensors",
  /** Training step, RNG state and data position (JSON). */
  state: "state.json",
} as const;

export type CheckpointFile = keyof typeof CHECKPOINT_FILES;

/** The files of a tokenizer folder (what `llm-tokenizer train --out` and the tokenizer stage write). */
export const TOKENIZER_FILES = {
  /** The tokenizer in Hugging Face tokenizer.json format. */
  json: "tokenizer.json",
  /** The same merges as tiktoken ranks. */
  tiktoken: "tokenizer.tiktoken",
} as const;

/** The held-out evaluation sets a stage writes for the probes (`eval/<stage>.json`). */
export type EvalSetStage = "sft" | "rl";

/**
 * Every fixed path of a run folder, relative to its root with "/" separators. Per-name paths
 * (a checkpoint, a metrics log, a stage marker) come from runPaths.
 */
export const RUN_LAYOUT = {
  /** The resolved preset, seeds, versions and backend (JSON). */
  config: "config.json",
  /** The data stage's folder. */
  data: "data",
  /** Training documents, one Document per line. */
  trainDocuments: "data/train.jsonl",
  /** Validation documents, one Document per line. */
  valDocuments: "data/val.jsonl",
  /** Documents a filter dropped, one file per corpus (`<corpus>.jsonl`, with reasons). */
  excluded: "data/excluded",
  /** Per-source document and character counts (JSON). */
  dataStats: "data/stats.json",
  /** The generated facts the knowledge documents and probes share (JSON). */
  knowledge: "data/knowledge.json",
  /** The repeated passages of the memorization probe (JSON). */
  memorization: "data/memorization.json",
  /** The corpus words the letter tasks draw from (JSON). */
  letterWords: "data/letter-words.json",
  /** Token shards (`train_000000.bin`, `val_000000.bin`, ...), written by the tokenizer stage. */
  shards: "data/shards",
  /** The tokenizer stage's folder. */
  tokenizer: "tokenizer",
  /** The trained tokenizer (Hugging Face tokenizer.json format). */
  tokenizerJson: "tokenizer/tokenizer.json",
  /** The same merges as tiktoken ranks. */
  tokenizerTiktoken: "tokenizer/tokenizer.tiktoken",
  /** Per-model training logs (`<model>.jsonl`, one StepEvent per line). */
  metrics: "metrics",
  /** Held-out evaluation sets (`<stage>.json`). */
  eval: "eval",
  /** The probes stage's folder. */
  probes: "probes",
  /** Every probe's result (JSON). */
  probeResults: "probes/results.json",
  /** Sample generations for the report (JSON). */
  probeSamples: "probes/samples.json",
  /** Stage markers (`<stage>.json`), written when a stage starts and when it finishes. */
  stages: "_stages",
  /** The report card as markdown. */
  reportMarkdown: "report.md",
  /** The report card as a standalone page. */
  reportHtml: "report.html",
  /** The report card's data. */
  reportJson: "report.json",
} as const;

export type RunLayoutEntry = keyof typeof RUN_LAYOUT;

/** Absolute paths of one checkpoint folder's files. */
export type CheckpointPaths = { readonly dir: string } & { readonly [F in CheckpointFile]: string };

/** Paths of a checkpoint folder's files: `checkpointPaths(dir).model` is `<dir>/model.safetensors`. */
export function checkpointPaths(dir: string): CheckpointPaths {
  return {
    dir,
    config: join(dir, CHECKPOINT_FILES.config),
    model: join(dir, CHECKPOINT_FILES.model),
    optimizer: join(dir, CHECKPOINT_FILES.optimizer),
    state: join(dir, CHECKPOINT_FILES.state),
  };
}

/** Absolute paths of a run folder: every RUN_LAYOUT entry plus the per-name helpers. */
export type RunPaths = { readonly root: string } & { readonly [E in RunLayoutEntry]: string } & {
  /** Any path inside the run folder. */
  path(...parts: string[]): string;
  /** A checkpoint folder (`base/`, `sft/`, ...). */
  checkpoint(name: RunCheckpoint): string;
  /** The files of a checkpoint folder. */
  checkpointFiles(name: RunCheckpoint): CheckpointPaths;
  /** A model's training log, `metrics/<model>.jsonl`. */
  metricsLog(model: string): string;
  /** A stage's marker, `_stages/<stage>.json`. */
  marker(stage: RunStage): string;
  /** A stage's held-out evaluation sets, `eval/<stage>.json`. */
  evalSet(stage: EvalSetStage): string;
  /** A corpus's dropped documents, `data/excluded/<corpus>.jsonl`. */
  excludedDocuments(corpus: string): string;
};

/** The paths of the run folder at `root` (resolved to an absolute path). */
export function runPaths(root: string): RunPaths {
  const absolute = resolve(root);
  const path = (...parts: string[]) => join(absolute, ...parts);
  const fixed = Object.fromEntries(
    Object.entries(RUN_LAYOUT).map(([entry, relative]) => [entry, path(...relative.split("/"))]),
  ) as { [E in RunLayoutEntry]: string };
  return {
    root: absolute,
    ...fixed,
    path,
    checkpoint: (name) => path(name),
    checkpointFiles: (name) => checkpointPaths(path(name)),
    metricsLog: (model) => path(RUN_LAYOUT.metrics, `${model}.jsonl`),
    marker: (stage) => path(RUN_LAYOUT.stages, `${stage}.json`),
    evalSet: (stage) => path(RUN_LAYOUT.eval, `${stage}.json`),
    excludedDocuments: (corpus) => path(...RUN_LAYOUT.excluded.split("/"), `${corpus}.jsonl`),
  };
}

/** What each stage owns, relative to the run root: removed before the stage runs afresh. */
export const STAGE_OUTPUTS: Readonly<Record<RunStage, readonly string[]>> = {
  data: [RUN_LAYOUT.data],
  tokenizer: [RUN_LAYOUT.tokenizer, RUN_LAYOUT.shards],
  pretrain: ["base", `${RUN_LAYOUT.metrics}/base.jsonl`],
  sft: [
    "sft",
    "sft-answer-first",
    `${RUN_LAYOUT.metrics}/sft.jsonl`,
    `${RUN_LAYOUT.metrics}/sft-answer-first.jsonl`,
    `${RUN_LAYOUT.eval}/sft.json`,
  ],
  rl: ["rl", `${RUN_LAYOUT.metrics}/rl.jsonl`, `${RUN_LAYOUT.eval}/rl.json`],
  probes: [RUN_LAYOUT.probes],
  report: [RUN_LAYOUT.reportMarkdown, RUN_LAYOUT.reportHtml, RUN_LAYOUT.reportJson],
};
