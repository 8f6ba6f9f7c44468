/**
 * Which tensor backend each stage uses. Pretraining and SFT run on the backend asked for (webgpu
 * included: the Trainer, evaluation and generation read GPU tensors with `await data()`). RL and
 * probes are built on code that reads tensors synchronously (the chat engine, GRPO's loss
 * statistics, the probes), which webgpu cannot do in Node: they take wasm when webgpu is asked
 * for, and `auto` skips webgpu for them. Data, tokenizer and report use no tensors. Also the
 * GPU check of a preset that needs one (`hardware.requires: "gpu"`). Leaves out: RL and probes
 * on webgpu (they need async reads through @llm/rl and @llm/probes).
 */

import { type Listeners, LlmError } from "@llm/core";
import {
  type BackendInfo,
  type BackendName,
  initBackend,
  isGpuBackend,
  vulkanDriverFilesOf,
} from "@llm/model";
import type { BackendChoice } from "./cli-args.js";
import type { PipelineConfig } from "./pipeline-config.js";
import type { StageName } from "./stage-names.js";

/** What one stage asks initBackend for. */
export interface StageBackendRequest {
  name: BackendName;
  /** The stage reads tensors synchronously: auto skips webgpu. */
  syncReads: boolean;
}

const SYNC_STAGES: readonly StageName[] = ["rl", "probes"];

/** The backend request of `stage` for the user's `--backend`; undefined for stages without tensors. */
export function stageBackendRequest(
  stage: StageName,
  requested: BackendChoice,
): StageBackendRequest | undefined {
  if (stage === "pretrain" || stage === "sft") return { name: requested, syncReads: false };
  if (SYNC_STAGES.includes(stage))
    return { name: requested === "webgpu" ? "wasm" : requested, syncReads: true };
  return undefined;
}

/** Initialises the backend `stage` uses (called at the start of each tensor stage). */
export async function initStageBackend(
  stage: StageName,
  requested: BackendChoice,
  listeners?: Listeners,
): Promise<BackendInfo> {
  const request = stageBackendRequest(stage, requested) ?? { name: requested, syncReads: true };
  return initBackend(request.name, {
    syncReads: request.syncReads,
    ...(listeners ? { listeners } : {}),
    vulkanDriverFiles: vulkanDriverFilesOf(process.env),
  });
}

/** The backends of a run, resolved on this machine: pretraining's and SFT's, and RL's and the probes'. */
export interface ResolvedBackends {
  pretrain: BackendInfo;
  later: BackendInfo;
}

/** Resolves both backends now (fails fast on one that is missing; the last one stays active). */
export async function resolveBackends(requested: BackendChoice): Promise<ResolvedBackends> {
  const pretrain = await initStageBackend("pretrain", requested);
  const later = await initStageBackend("rl", requested);
  return { pretrain, later };
}

/** Whether a resolved backend computes on a GPU (a hardware webgpu adapter, or tensorflow-gpu). */
export function onGpu(info: BackendInfo): boolean {
  return isGpuBackend(info.name) && info.adapter?.software !== true;
}

/** Lines for the console and `--dry-run`: the backend of every stage. */
export function backendLines(backends: ResolvedBackends): string[] {
  const later = backends.later;
  const laterNote =
    backends.pretrain.name === "webgpu" && later.name !== "webgpu"
      ? " (they read tensors synchronously)"
      : "";
  const webgpuSkip = backends.pretrain.skipped.find((s) => s.name === "webgpu");
  const pretrainNote = webgpuSkip ? ` (webgpu skipped: ${webgpuSkip.reason})` : "";
  return [
    `  pretrain, sft  ${backends.pretrain.label}${pretrainNote}`,
    `  rl, probes  ${later.label}${laterNote}`,
    "  data, tokenizer, report  no tensors",
  ];
}

/** Expected seconds of the pretrain stage at `tokensPerSecond`. */
export function pretrainSeconds(config: PipelineConfig, tokensPerSecond: number): number {
  const p = config.pretrain;
  return (p.steps * p.batchSize * p.model.seqLen) / tokensPerSecond;
}

/**
 * For a preset that needs a GPU: undefined when pretraining runs on one; otherwise a warning
 * with the time it would take on this backend (at the preset's measured CPU rate), which is an
 * error unless `force`.
 */
export function checkGpuRequirement(
  config: PipelineConfig,
  backends: ResolvedBackends,
  force: boolean,
): string | undefined {
  const hw = config.hardware;
  if (hw?.requires !== "gpu" || onGpu(backends.pretrain)) return undefined;
  const days = pretrainSeconds(config, hw.cpuTokensPerSecond) / 86400;
  const message = `preset ${config.name} is sized for a GPU, but pretraining would run on ${backends.pretrain.label}: expected ~${days >= 1 ? `${days.toFixed(0)} days` : `${(days * 24).toFixed(1)} hours`} at the ${hw.cpuTokensPerSecond} tokens/s measured for this model on wasm (${hw.cpuMeasured})`;
  if (force) return message;
  throw new LlmError("UNSUPPORTED_BACKEND", message, {
    input: `--preset ${config.name} --backend ${backends.pretrain.name}`,
    hint: "Run it on a machine with a GPU (webgpu: Metal, Vulkan or D3D12), pass --force to run it here anyway, or use --preset small.",
  });
}
