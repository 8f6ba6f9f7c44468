/**
 * evaluatePassAtK: samples n completions for each held-out task and reports mean reward, pass@1
 * and pass@k (unbiased estimator), counting a completion as solved when its reward reaches the
 * success threshold. Reference: Chen et al. 2021 (pass@k), nanochat's RL evaluation loop.
 * Leaves out: greedy (temperature 0) evaluation, since pass@k needs samples.
 */

import type { RewardFunction, Task, Tokenizer } from "@llm/core";
import {
  generateRollouts,
  type PolicyModel,
  type Rollout,
  type RolloutLogitsFilter,
  type ToolRunner,
} from "./generate-rollouts.js";
import { meanPassAtK } from "./pass-at-k.js";

export interface PassAtKOptions {
  /** Samples per task (n). Default 8. */
  samples?: number;
  /** The k of pass@k (<= samples). Default 4. */
  k?: number;
  /** Sampling temperature. Default 1. */
  temperature?: number;
  /** Top-k sampling; 0 disables. Default 0. */
  topK?: number;
  /** Cap on sampled tokens per completion. Default 64. */
  maxNewTokens?: number;
  /** Tool runner for tool calls; none disables tools. */
  tools?: ToolRunner;
  /** Reward at or above which a completion counts as solved. Default 1. */
  successThreshold?: number;
  /** Prompts per batched rollout call. Default 8. */
  promptsPerBatch?: number;
  /** Sampling seed. Default 0. */
  seed?: number;
  /** Constrained decoding of the samples (generateRollouts' logitsFilter). Default: none. */
  logitsFilter?: RolloutLogitsFilter;
}

export interface PassAtKResult {
  /** Tasks evaluated. */
  tasks: number;
  samples: number;
  k: number;
  /** Mean reward over every sample. */
  meanReward: number;
  /** Mean over tasks of pass@1 (= share of solved samples). */
  passAt1: number;
  /** Mean over tasks of the unbiased pass@k. */
  passAtK: number;
  /** Solved samples per task, in task order. */
  correct: number[];
  /** The first completion of each task, for reports. */
  examples: Array<{ task: Task; text: string; reward: number }>;
}

/** pass@1 / pass@k of `model` on `tasks`; prompts are rendered by `render`. */
export async function evaluatePassAtK(
  model: PolicyModel,
  tokenizer: Tokenizer,
  tasks: readonly Task[],
  render: (task: Task) => readonly number[],
  reward: RewardFunction,
  options: PassAtKOptions = {},
): Promise<PassAtKResult> {
  const samples = options.samples ?? 8;
  const k = options.k ?? 4;
  const threshold = options.successThreshold ?? 1;
  const perBatch = options.promptsPerBatch ?? 8;
  const correct: number[] = [];
  const examples: PassAtKResult["examples"] = [];
  let rewardSum = 0;
  for (let start = 0; start < tasks.length; start += perBatch) {
    const chunk = tasks.slice(start, start + perBatch);
    const rollouts: Rollout[] = await generateRollouts(
      model,
      tokenizer,
      chunk.map((task) => ({ task, ids: render(task) })),
      {
        groupSize: samples,
        maxNewTokens: options.maxNewTokens ?? 64,
        temperature: options.temperature ?? 1,
        topK: options.topK ?? 0,
        ...(options.tools === undefined ? {} : { tools: options.tools }),
        ...(options.logitsFilter === undefined ? {} : { logitsFilter: options.logitsFilter }),
        seed: (options.seed ?? 0) + start,
      },
    );
    chunk.forEach((task, t) => {
      let solved = 0;
      for (let g = 0; g < samples; g++) {
        const rollout = rollouts[t * samples + g] as Rollout;
        const r = reward(rollout.text, task).reward;
        rewardSum += r;
        if (r >= threshold) solved++;
        if (g === 0) examples.push({ task, text: rollout.text, reward: r });
      }
      correct.push(solved);
    });
  }
  const total = tasks.length * samples;
  return {
    tasks: tasks.length,
    samples,
    k,
    meanReward: total > 0 ? rewardSum / total : 0,
    passAt1: meanPassAtK(correct, samples, 1),
    passAtK: meanPassAtK(correct, samples, k),
    correct,
    examples,
  };
}
