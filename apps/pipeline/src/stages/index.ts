/**
 * The stage implementations of `pnpm pipeline`, by stage name. Each is imported when its stage
 * runs, so `--help`, `--dry-run` and skipped stages load no tensor code.
 */
import type { StageRunner } from "../run-pipeline.js";
import type { StageName } from "../stage-names.js";

export function createStages(): Record<StageName, StageRunner> {
  return {
    data: async (context) => (await import("./data-stage.js")).dataStage(context),
    tokenizer: async (context) => (await import("./tokenizer-stage.js")).tokenizerStage(context),
    pretrain: async (context) => (await import("./pretrain-stage.js")).pretrainStage(context),
    sft: async (context) => (await import("./sft-stage.js")).sftStage(context),
    rl: async (context) => (await import("./rl-stage.js")).rlStage(context),
    probes: async (context) => (await import("./probes-stage.js")).probesStage(context),
    report: async (context) => (await import("./report-stage.js")).reportStage(context),
  };
}
