/**
 * combineRewards: a weighted sum of reward functions as one reward function (e.g. correctness
 * 1.0 + format 0.1), keeping the first extracted answer and every part's detail.
 * Reference: TRL's reward_funcs with reward_weights. Leaves out: per-function normalisation.
 */

import type { RewardFunction, RewardResult, Task } from "@llm/core";
import { LlmError } from "@llm/core";

export interface WeightedReward {
  /** A short name used in the detail text, e.g. "answer". */
  name: string;
  fn: RewardFunction;
  weight: number;
}

/** The weighted sum of `parts`. */
export function combineRewards(parts: readonly WeightedReward[]): RewardFunction {
  if (parts.length === 0) {
    throw new LlmError("INVALID_ARGUMENT", "combineRewards needs at least one reward function.", {
      hint: "pass e.g. [{ name: 'answer', fn: answerReward(extractAnswer), weight: 1 }].",
    });
  }
  for (const part of parts) {
    if (!Number.isFinite(part.weight)) {
      throw new LlmError("INVALID_ARGUMENT", `Reward weight of ${part.name} is not a finite number.`, {
        input: String(part.weight),
        hint: "use a finite weight such as 1 or 0.1.",
      });
    }
  }
  return (completion: string, task: Task): RewardResult => {
    let reward = 0;
    let extracted: string | undefined;
    const details: string[] = [];
    for (const part of parts) {
      const result = part.fn(completion, task);
      reward += part.weight * result.reward;
      extracted ??= result.extracted;
      details.push(`${part.name}=${result.reward}${result.detail ? ` (${result.detail})` : ""}`);
    }
    return { reward, ...(extracted === undefined ? {} : { extracted }), detail: details.join(", ") };
  };
}
