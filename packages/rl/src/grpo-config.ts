/**
 * GrpoConfig: every option of the GRPO-family trainer in one plain typed object, with its default,
 * presets for the three published variants, and validation that names the bad field.
 * References: DeepSeekMath (GRPO), "Understanding R1-Zero-Like Training" (Dr. GRPO), DAPO, and
 * TRL's GRPOConfig (loss_type, scale_rewards, epsilon/epsilon_high, beta, num_iterations,
 * mask_truncated_completions). Leaves out: DAPO's overlong reward shaping and re-sampling to refill
 * skipped groups (skipped groups are dropped, not replaced), and vLLM-style importance correction.
 */

import { LlmError } from "@llm/core";

/** How per-token losses are reduced to one number. */
export type LossAggregation =
  /** GRPO: mean over each completion's tokens, then mean over completions. Short completions weigh more per token. */
  | "grpo"
  /** DAPO: one mean over every token in the batch. Long completions weigh more. */
  | "dapo"
  /** Dr. GRPO: sum over tokens divided by a constant (completions x maxNewTokens): no length bias. */
  | "dr_grpo";

export interface GrpoConfig {
  /** Optimiser steps (each collects one batch of rollouts). Default 50. */
  steps: number;
  /** Distinct prompts per step. Default 4. */
  promptsPerStep: number;
  /** Completions sampled per prompt (G). Default 8. */
  groupSize: number;
  /** Cap on tokens the model writes per completion (tool output not counted). Default 64. */
  maxNewTokens: number;
  /** Sampling temperature; log-probs in the loss use the same temperature (as TRL does). Default 1. */
  temperature: number;
  /** Sample only among the k most likely tokens; 0 disables. Default 0. */
  topK: number;
  /**
   * Completions of each group decoded greedily instead of sampled (the first ones of the group).
   * A model deployed at temperature 0 fails where its most likely continuation does, for instance
   * a copy that falls into a loop; sampled rollouts rarely take that path, a greedy one always
   * does, so its reward puts that path in the group's comparison. Must be below groupSize. Default 0.
   */
  greedyPerGroup: number;
  /** Run tool calls during rollouts (tool output is forced into the stream and masked out of the loss). Default true. */
  tools: boolean;
  /** Cap on tool calls per completion. Default 4. */
  maxToolCalls: number;
  /** AdamW learning rate (constant after warm-up). Default 1e-5, TRL's default. */
  learningRate: number;
  /** Linear warm-up steps. Default 0. */
  warmupSteps: number;
  /** AdamW decoupled weight decay. Default 0. */
  weightDecay: number;
  /** Global-norm gradient clip; 0 disables. Default 1. */
  gradClip: number;
  /** Optimisation passes over each batch of rollouts (TRL's num_iterations, mu in the GRPO paper). Default 1. */
  passes: number;
  /** Completions per forward/backward chunk; gradients are accumulated across chunks. 0 = the whole batch. Default 0. */
  microBatchSize: number;
  /** Lower clip: the ratio is clipped below at 1 - epsLow. Default 0.2. */
  epsLow: number;
  /** Upper clip: the ratio is clipped above at 1 + epsHigh (DAPO's clip-higher uses 0.28). Default 0.2. */
  epsHigh: number;
  /** KL coefficient to the frozen reference; 0 loads no reference model. Default 0 (TRL's default). */
  beta: number;
  /** Divide group-centred rewards by the group's std (+1e-4, TRL's convention). Default true. */
  scaleRewards: boolean;
  /** How per-token losses are reduced. Default "grpo". */
  lossType: LossAggregation;
  /** Drop groups whose rewards are all equal (they carry no learning signal). Default true. */
  skipEqualGroups: boolean;
  /** Exclude completions that hit maxNewTokens without finishing from the loss. Default false (TRL's default). */
  maskTruncated: boolean;
  /** Evaluate pass@1 / pass@k on held-out tasks every this many steps (and at the start and end); 0 disables. Default 10. */
  evalEvery: number;
  /** Samples per held-out prompt for pass@k (n in the unbiased estimator). Default 8. */
  evalSamples: number;
  /** The k of pass@k (k <= evalSamples). Default 4. */
  evalK: number;
  /** Sampling temperature for evaluation (> 0: pass@k needs samples). Default 1. */
  evalTemperature: number;
  /** Write a checkpoint every this many steps (and at the end) when a directory is given; 0 = only at the end. Default 0. */
  checkpointEvery: number;
  /** Seed for task order and sampling. Default 0. */
  seed: number;
  /**
   * SFT replay (InstructGPT's PPO-ptx): each update adds replayCoefficient x the masked next-token
   * cross-entropy of a batch of SFT conversations (assistant tokens only, as @llm/sft trains) to
   * the policy loss, so RL on one task does not erase what SFT taught elsewhere. Needs
   * TrainGrpoOptions.replayConversations. 0 = off. Default 0.
   */
  replayCoefficient: number;
  /** Rows (of the model's context, conversations packed) in each replay batch. Default 4. */
  replayBatchSize: number;
  /**
   * With a rollout logitsFilter (TrainGrpoOptions.logitsFilter): compute the loss's log-probs
   * (policy old and new, and the reference's) under the filtered distribution at the tokens the
   * filter constrained (softmax over the ids it kept), the exact policy gradient of the guarded
   * policy. false: the plain model's log-probs, as TRL with vLLM's guided decoding. No effect
   * without a filter. Default false.
   */
  filteredLoss: boolean;
}

/** The defaults: GRPO as in DeepSeekMath with TRL's conventions, plus skipping of all-equal groups. */
export const DEFAULT_GRPO_CONFIG: Readonly<GrpoConfig> = Object.freeze({
  steps: 50,
  promptsPerStep: 4,
  groupSize: 8,
  maxNewTokens: 64,
  temperature: 1,
  topK: 0,
  greedyPerGroup: 0,
  tools: true,
  maxToolCalls: 4,
  learningRate: 1e-5,
  warmupSteps: 0,
  weightDecay: 0,
  gradClip: 1,
  passes: 1,
  microBatchSize: 0,
  epsLow: 0.2,
  epsHigh: 0.2,
  beta: 0,
  scaleRewards: true,
  lossType: "grpo",
  skipEqualGroups: true,
  maskTruncated: false,
  evalEvery: 10,
  evalSamples: 8,
  evalK: 4,
  evalTemperature: 1,
  checkpointEvery: 0,
  seed: 0,
  replayCoefficient: 0,
  replayBatchSize: 4,
  filteredLoss: false,
});

/** Published variants as partial configs to spread over the defaults. */
export const GRPO_PRESETS: Readonly<Record<"grpo" | "dr_grpo" | "dapo", Partial<GrpoConfig>>> = {
  /** DeepSeekMath GRPO: std-scaled advantages, per-sequence mean, symmetric clip. */
  grpo: { lossType: "grpo", scaleRewards: true, epsLow: 0.2, epsHigh: 0.2 },
  /** Dr. GRPO: no std scaling, constant normaliser, no KL. */
  dr_grpo: { lossType: "dr_grpo", scaleRewards: false, beta: 0 },
  /** DAPO: clip-higher, token-level mean, dynamic-sampling filter, overlong completions masked, no KL. */
  dapo: {
    lossType: "dapo",
    epsLow: 0.2,
    epsHigh: 0.28,
    skipEqualGroups: true,
    maskTruncated: true,
    beta: 0,
  },
};

function fail(field: string, value: unknown, hint: string): never {
  throw new LlmError("INVALID_CONFIG", `GrpoConfig.${field} is invalid.`, {
    input: `${field}=${String(value)}`,
    hint,
  });
}

/** Defaults overlaid with `overrides`, validated. Throws LlmError("INVALID_CONFIG") naming the field. */
export function resolveGrpoConfig(overrides: Partial<GrpoConfig> = {}): GrpoConfig {
  const config: GrpoConfig = { ...DEFAULT_GRPO_CONFIG };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    if (!(key in DEFAULT_GRPO_CONFIG)) {
      fail(key, value, `unknown option; known: ${Object.keys(DEFAULT_GRPO_CONFIG).join(", ")}.`);
    }
    (config as unknown as Record<string, unknown>)[key] = value;
  }
  const positiveInts = [
    "steps",
    "promptsPerStep",
    "groupSize",
    "maxNewTokens",
    "passes",
    "evalSamples",
    "evalK",
    "replayBatchSize",
  ] as const;
  for (const key of positiveInts) {
    const v = config[key];
    if (!Number.isInteger(v) || v < 1) fail(key, v, "use a positive integer.");
  }
  const nonNegInts = [
    "topK",
    "greedyPerGroup",
    "maxToolCalls",
    "warmupSteps",
    "microBatchSize",
    "evalEvery",
    "checkpointEvery",
  ] as const;
  for (const key of nonNegInts) {
    const v = config[key];
    if (!Number.isInteger(v) || v < 0) fail(key, v, "use a non-negative integer.");
  }
  const nonNeg = [
    "learningRate",
    "weightDecay",
    "gradClip",
    "epsLow",
    "epsHigh",
    "beta",
    "temperature",
    "evalTemperature",
    "replayCoefficient",
  ] as const;
  for (const key of nonNeg) {
    const v = config[key];
    if (!Number.isFinite(v) || v < 0) fail(key, v, "use a finite number >= 0.");
  }
  if (config.temperature === 0) fail("temperature", 0, "RL needs sampling: use a temperature > 0 (e.g. 1).");
  if (config.evalTemperature === 0) {
    fail("evalTemperature", 0, "pass@k needs samples: use a temperature > 0 (e.g. 1).");
  }
  if (config.epsLow >= 1)
    fail("epsLow", config.epsLow, "the lower clip 1 - epsLow must stay positive: use a value below 1.");
  if (config.groupSize < 2)
    fail("groupSize", config.groupSize, "group advantages need at least 2 completions per prompt.");
  if (config.greedyPerGroup >= config.groupSize)
    fail(
      "greedyPerGroup",
      config.greedyPerGroup,
      `a group needs sampled completions too: use fewer than groupSize (${config.groupSize}), e.g. 1.`,
    );
  if (config.evalK > config.evalSamples) {
    fail("evalK", config.evalK, `pass@k needs k <= evalSamples (${config.evalSamples}).`);
  }
  if (!["grpo", "dapo", "dr_grpo"].includes(config.lossType)) {
    fail("lossType", config.lossType, 'use "grpo", "dapo" or "dr_grpo".');
  }
  return config;
}
