/**
 * The stages of a pipeline run in order, what each writes in the run folder, and what each
 * reads from its config. The order is the dependency order: each stage reads only what stages
 * before it wrote (architecture.md, "The run directory").
 */
import { RUN_STAGES, type RunStage } from "@llm/core";
import type { PipelineConfig } from "./pipeline-config.js";

/** The stages, from the run folder's layout in @llm/core (which also says what each owns: STAGE_OUTPUTS). */
export const STAGE_NAMES = RUN_STAGES;

export type StageName = RunStage;

/** One line per stage for `--help`. */
export const STAGE_DESCRIPTIONS: Readonly<Record<StageName, string>> = {
  data: "offline corpora through the FineWeb-style cleaning chain, plus fact documents -> data/",
  tokenizer: "train a byte-level BPE tokenizer and tokenize the data into shards -> tokenizer/, data/shards/",
  pretrain: "pretrain the base GPT on the token shards -> base/",
  sft: "supervised fine-tuning into an assistant (and the answer-first twin) -> sft/, sft-answer-first/",
  rl: "GRPO on checkable tasks from the SFT model -> rl/",
  probes: "measure the seed's claims on base, SFT and RL models -> probes/results.json",
  report: "the report card -> report.md, report.html, report.json",
};

/** The part of the config a stage depends on directly (upstream stages are covered by their hashes). */
export function stageConfig(config: PipelineConfig, stage: StageName): unknown {
  switch (stage) {
    case "data":
      return config.data;
    case "tokenizer":
      return config.tokenizer;
    case "pretrain":
      return config.pretrain;
    case "sft":
      return config.sft;
    case "rl":
      return config.rl;
    case "probes":
      return config.probes;
    case "report":
      return config.report;
  }
}

export function isStageName(value: string): value is StageName {
  return (STAGE_NAMES as readonly string[]).includes(value);
}
