/**
 * buildPolicyBatch: lays rollouts out as next-token training rows (inputs = prompt+completion
 * without its last id, targets = shifted by one, right-padded) with the loss mask: 1 only on
 * completion ids the model sampled, so prompt, padding and forced tool output never count.
 * selectRollouts decides which rollouts enter the loss at all: completions of all-equal groups
 * (no signal) and, when asked, truncated completions are left out.
 * Reference: TRL's completion_mask and mask_truncated_completions; DAPO's dynamic-sampling filter.
 * Leaves out: packing several rollouts into one row.
 */

import type { Rollout } from "./generate-rollouts.js";

export interface RolloutSelection {
  /** One flag per rollout: true when it enters the loss. */
  include: boolean[];
  /** Rollouts left out because their group's rewards were all equal. */
  skippedEqual: number;
  /** Rollouts left out because they were truncated. */
  skippedTruncated: number;
}

/** Which rollouts count, given the all-equal flag of each group (groupSize consecutive rollouts). */
export function selectRollouts(
  rollouts: readonly Rollout[],
  equalGroups: readonly boolean[],
  groupSize: number,
  options: { skipEqualGroups: boolean; maskTruncated: boolean },
): RolloutSelection {
  let skippedEqual = 0;
  let skippedTruncated = 0;
  const include = rollouts.map((rollout, i) => {
    if (options.skipEqualGroups && equalGroups[Math.floor(i / groupSize)] === true) {
      skippedEqual++;
      return false;
    }
    if (options.maskTruncated && rollout.finishReason !== "stop") {
      skippedTruncated++;
      return false;
    }
    return true;
  });
  return { include, skippedEqual, skippedTruncated };
}

export interface PolicyBatch {
  /** Rows N. */
  batchSize: number;
  /** Columns T (longest prompt+completion minus one). */
  seqLen: number;
  /** Input ids [N*T], row-major, padded with 0. */
  inputs: Int32Array;
  /** Target ids [N*T] (inputs shifted by one). */
  targets: Int32Array;
  /** 1 where the target is a sampled completion id, else 0. [N*T] */
  mask: Float32Array;
  /** Sampling log-prob of each counted target, 0 elsewhere. [N*T] */
  samplingLogProbs: Float32Array;
  /** Advantage of each row. [N] */
  advantages: Float32Array;
  /** Index into the rollouts of each row. */
  rolloutIndex: number[];
  /** Counted targets per row. */
  tokensPerRow: number[];
  /**
   * Counted targets whose sampling distribution a rollout logitsFilter changed: the flat index
   * (row * seqLen + t) and the ids it kept, in index order. Empty or absent without a filter.
   */
  filtered?: { at: number; kept: Int32Array }[];
}

/** Rows for the included rollouts (all rollouts when `include` is omitted). */
export function buildPolicyBatch(
  rollouts: readonly Rollout[],
  advantages: readonly number[],
  include?: readonly boolean[],
): PolicyBatch {
  const rolloutIndex = rollouts.map((_, i) => i).filter((i) => include === undefined || include[i] === true);
  const N = rolloutIndex.length;
  let T = 1;
  for (const i of rolloutIndex) {
    const r = rollouts[i] as Rollout;
    T = Math.max(T, r.promptIds.length + r.completionIds.length - 1);
  }
  const inputs = new Int32Array(N * T);
  const targets = new Int32Array(N * T);
  const mask = new Float32Array(N * T);
  const samplingLogProbs = new Float32Array(N * T);
  const rowAdvantages = new Float32Array(N);
  const tokensPerRow: number[] = [];
  const filtered: { at: number; kept: Int32Array }[] = [];
  rolloutIndex.forEach((i, row) => {
    const r = rollouts[i] as Rollout;
    const full = [...r.promptIds, ...r.completionIds];
    const P = r.promptIds.length;
    for (let t = 0; t < full.length - 1; t++) {
      inputs[row * T + t] = full[t] as number;
      targets[row * T + t] = full[t + 1] as number;
    }
    let counted = 0;
    r.completionIds.forEach((_, c) => {
      if (r.generatedMask[c] !== 1) return;
      const at = row * T + P + c - 1;
      mask[at] = 1;
      samplingLogProbs[at] = r.samplingLogProbs[c] as number;
      const kept = r.filterKept?.[c];
      if (kept !== undefined) filtered.push({ at, kept });
      counted++;
    });
    tokensPerRow.push(counted);
    rowAdvantages[row] = advantages[i] as number;
  });
  return {
    batchSize: N,
    seqLen: T,
    inputs,
    targets,
    mask,
    samplingLogProbs,
    advantages: rowAdvantages,
    rolloutIndex,
    tokensPerRow,
    filtered,
  };
}
