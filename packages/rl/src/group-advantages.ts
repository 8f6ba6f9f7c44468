/**
 * Group-relative advantages: each completion's reward minus its group's mean, optionally divided
 * by the group's standard deviation plus 1e-4. References: DeepSeekMath's GRPO (A_i = (r_i -
 * mean r) / std r), TRL's GRPOTrainer (unbiased std, + 1e-4), Dr. GRPO (no std scaling), DAPO
 * (groups with equal rewards carry no signal). Leaves out: batch-level std scaling and reward
 * normalisation across groups.
 */

import { LlmError } from "@llm/core";

/** TRL's epsilon added to the group std before dividing. */
export const ADVANTAGE_STD_EPSILON = 1e-4;

export interface GroupAdvantageOptions {
  /** Divide by std + 1e-4 (GRPO, TRL's default) or only centre (Dr. GRPO). Default true. */
  scaleRewards?: boolean;
}

export interface GroupAdvantages {
  /** One advantage per completion, in the order of `rewards`. */
  advantages: number[];
  /** One flag per group: true when every reward in it is equal (zero advantages). */
  equalGroups: boolean[];
  /** Mean reward of each group. */
  groupMeans: number[];
  /** Standard deviation (unbiased, n - 1) of each group. */
  groupStds: number[];
}

/**
 * Advantages for `rewards` laid out group after group (groupSize consecutive completions share a prompt).
 * With rewards [1, 0, 0, 0]: [1.5, -0.5, -0.5, -0.5] when scaled (TRL), [0.75, -0.25, -0.25, -0.25] when not.
 */
export function groupAdvantages(
  rewards: readonly number[],
  groupSize: number,
  options: GroupAdvantageOptions = {},
): GroupAdvantages {
  const scale = options.scaleRewards ?? true;
  if (!Number.isInteger(groupSize) || groupSize < 1) {
    throw new LlmError("INVALID_ARGUMENT", "groupSize must be a positive integer.", {
      input: `groupSize=${groupSize}`,
      hint: "pass the number of completions sampled per prompt.",
    });
  }
  if (rewards.length % groupSize !== 0) {
    throw new LlmError("INVALID_ARGUMENT", "The number of rewards is not a multiple of the group size.", {
      input: `rewards.length=${rewards.length}, groupSize=${groupSize}`,
      hint: "lay rewards out group after group, groupSize per prompt.",
    });
  }
  for (const r of rewards) {
    if (!Number.isFinite(r)) {
      throw new LlmError("INVALID_ARGUMENT", "A reward is not a finite number.", {
        input: String(r),
        hint: "reward functions must return finite numbers.",
      });
    }
  }
  const advantages: number[] = [];
  const equalGroups: boolean[] = [];
  const groupMeans: number[] = [];
  const groupStds: number[] = [];
  for (let start = 0; start < rewards.length; start += groupSize) {
    const group = rewards.slice(start, start + groupSize);
    const mean = group.reduce((a, b) => a + b, 0) / groupSize;
    const variance =
      groupSize > 1 ? group.reduce((a, r) => a + (r - mean) * (r - mean), 0) / (groupSize - 1) : 0;
    const std = Math.sqrt(variance);
    const first = group[0] as number;
    equalGroups.push(group.every((r) => r === first));
    groupMeans.push(mean);
    groupStds.push(std);
    for (const r of group) {
      const centred = r - mean;
      advantages.push(scale ? centred / (std + ADVANTAGE_STD_EPSILON) : centred);
    }
  }
  return { advantages, equalGroups, groupMeans, groupStds };
}
