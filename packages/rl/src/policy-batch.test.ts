import type { Task } from "@llm/core";
import { describe, expect, it } from "vitest";
import type { Rollout } from "./generate-rollouts.js";
import { buildPolicyBatch, selectRollouts } from "./policy-batch.js";

const task: Task = { id: "t", kind: "toy", prompt: "p", answer: "a" };

function rollout(
  completion: number[],
  mask: number[],
  finishReason: Rollout["finishReason"] = "stop",
): Rollout {
  return {
    task,
    promptIndex: 0,
    promptIds: [1, 2, 3],
    completionIds: completion,
    generatedMask: mask,
    samplingLogProbs: completion.map((id, i) => (mask[i] === 1 ? -id / 10 : 0)),
    filteredTokens: 0,
    finishReason,
    text: "",
    toolCalls: 0,
  };
}

describe("buildPolicyBatch", () => {
  it("shifts ids into inputs/targets and counts only sampled completion ids (never tool output)", () => {
    // completion: 10 11 [20 21 22 forced] 12
    const r0 = rollout([10, 11, 20, 21, 22, 12], [1, 1, 0, 0, 0, 1]);
    const r1 = rollout([30], [1]);
    const batch = buildPolicyBatch([r0, r1], [0.5, -0.5]);
    expect(batch.batchSize).toBe(2);
    expect(batch.seqLen).toBe(8); // 3 + 6 - 1
    expect(Array.from(batch.inputs.subarray(0, 8))).toEqual([1, 2, 3, 10, 11, 20, 21, 22]);
    expect(Array.from(batch.targets.subarray(0, 8))).toEqual([2, 3, 10, 11, 20, 21, 22, 12]);
    expect(Array.from(batch.mask.subarray(0, 8))).toEqual([0, 0, 1, 1, 0, 0, 0, 1]);
    expect(Array.from(batch.samplingLogProbs.subarray(0, 8)).map((x) => Math.round(x * 10))).toEqual([
      0, 0, -10, -11, 0, 0, 0, -12,
    ]);
    // Second row: padded with 0 after its 3 real positions.
    expect(Array.from(batch.inputs.subarray(8, 16))).toEqual([1, 2, 3, 0, 0, 0, 0, 0]);
    expect(Array.from(batch.mask.subarray(8, 16))).toEqual([0, 0, 1, 0, 0, 0, 0, 0]);
    expect(batch.tokensPerRow).toEqual([3, 1]);
    expect(Array.from(batch.advantages)).toEqual([0.5, -0.5]);
  });

  it("leaves out all-equal groups and, when asked, truncated completions", () => {
    const rollouts = [rollout([1], [1]), rollout([2], [1]), rollout([3], [1], "length"), rollout([4], [1])];
    const off = selectRollouts(rollouts, [true, false], 2, { skipEqualGroups: false, maskTruncated: false });
    expect(off.include).toEqual([true, true, true, true]);
    const on = selectRollouts(rollouts, [true, false], 2, { skipEqualGroups: true, maskTruncated: true });
    expect(on.include).toEqual([false, false, false, true]);
    expect(on.skippedEqual).toBe(2);
    expect(on.skippedTruncated).toBe(1);
    const batch = buildPolicyBatch(rollouts, [0, 0, 1, -1], on.include);
    expect(batch.batchSize).toBe(1);
    expect(batch.rolloutIndex).toEqual([3]);
    expect(Array.from(batch.advantages)).toEqual([-1]);
  });
});
