/**
 * The GRPO-family objective over per-token log-probabilities, as pure tensor math (no model):
 * ratio rho = exp(logp - logp_old); per-token loss -min(rho*A, clip(rho, 1-epsLow, 1+epsHigh)*A)
 * plus beta * k3(pi || pi_ref) with k3 = exp(ref - logp) - (ref - logp) - 1; reduced per sequence
 * (GRPO), per token (DAPO) or by a constant (Dr. GRPO). Only tokens whose mask is 1 count: padding,
 * prompt, tool output, truncated completions and skipped groups carry mask 0.
 * References: DeepSeekMath eq. 3, Schulman's "Approximating KL divergence" (k3), DAPO, Dr. GRPO,
 * TRL's GRPOTrainer._compute_loss. Leaves out: sequence-level importance ratios (GSPO) and
 * two-sided clipping of negative advantages.
 */

import * as tf from "@tensorflow/tfjs-core";
import type { LossAggregation } from "./grpo-config.js";

export interface GrpoLossInputs {
  /** Log-probs of the sampled tokens under the policy being trained. [N, L] */
  logProbs: tf.Tensor2D;
  /** Log-probs of the same tokens under the policy that sampled them (no gradient). [N, L] */
  oldLogProbs: tf.Tensor2D;
  /** Log-probs under the frozen reference model; needed only when beta > 0. [N, L] */
  refLogProbs?: tf.Tensor2D;
  /** One advantage per sequence. [N] */
  advantages: tf.Tensor1D;
  /** 1 where a token counts in the loss, 0 elsewhere. [N, L] */
  mask: tf.Tensor2D;
}

export interface GrpoLossOptions {
  /** Lower clip epsilon. */
  epsLow: number;
  /** Upper clip epsilon. */
  epsHigh: number;
  /** KL coefficient; 0 skips the KL term. */
  beta: number;
  /** Reduction of per-token losses. */
  lossType: LossAggregation;
  /**
   * What the masked sum is divided by: the number of sequences with any counted token (grpo), the
   * number of counted tokens (dapo), or sequences x maxNewTokens (dr_grpo). Pass the whole batch's
   * value (see lossDenominator) when the batch is split into micro-batches, so that accumulated
   * gradients equal the whole batch's. Default: computed from this call's mask.
   */
  denominator?: number;
  /** Dr. GRPO's constant per sequence; required for "dr_grpo" unless `denominator` is given. */
  maxNewTokens?: number;
}

/** Per-token k3 estimator of KL(pi || pi_ref): exp(ref - logp) - (ref - logp) - 1, >= 0 and 0 when equal. */
export function klK3(logProbs: tf.Tensor, refLogProbs: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const diff = tf.sub(refLogProbs, logProbs); // [N, L]
    return tf.sub(tf.sub(tf.exp(diff), diff), 1); // [N, L]
  });
}

/** Per-token clipped surrogate loss -min(rho*A, clip(rho)*A); advantages broadcast over tokens. */
export function clippedSurrogate(
  logProbs: tf.Tensor2D,
  oldLogProbs: tf.Tensor2D,
  advantages: tf.Tensor1D,
  epsLow: number,
  epsHigh: number,
): tf.Tensor2D {
  return tf.tidy(() => {
    const ratio = tf.exp(tf.sub(logProbs, oldLogProbs)); // [N, L]
    const clipped = tf.clipByValue(ratio, 1 - epsLow, 1 + epsHigh); // [N, L]
    const adv = tf.expandDims(advantages, 1); // [N, 1]
    const unclippedObjective = tf.mul(ratio, adv); // [N, L]
    const clippedObjective = tf.mul(clipped, adv); // [N, L]
    return tf.neg(tf.minimum(unclippedObjective, clippedObjective)) as tf.Tensor2D; // [N, L]
  });
}

/** The loss's denominator for a whole batch, from per-sequence counts of masked-in tokens. */
export function lossDenominator(
  lossType: LossAggregation,
  tokensPerSequence: readonly number[],
  maxNewTokens: number,
): number {
  if (lossType === "grpo") return Math.max(1, tokensPerSequence.filter((n) => n > 0).length);
  if (lossType === "dapo")
    return Math.max(
      1,
      tokensPerSequence.reduce((a, b) => a + b, 0),
    );
  return Math.max(1, tokensPerSequence.length * maxNewTokens);
}

/** The scalar loss to minimise. Differentiable with respect to `logProbs`. */
export function grpoLoss(inputs: GrpoLossInputs, options: GrpoLossOptions): tf.Scalar {
  return tf.tidy(() => {
    const { logProbs, oldLogProbs, refLogProbs, advantages, mask } = inputs;
    let perToken = clippedSurrogate(
      logProbs,
      oldLogProbs,
      advantages,
      options.epsLow,
      options.epsHigh,
    ) as tf.Tensor; // [N, L]
    if (options.beta > 0) {
      if (refLogProbs === undefined) {
        throw new Error("grpoLoss: beta > 0 needs refLogProbs (log-probs under the reference model).");
      }
      perToken = tf.add(perToken, tf.mul(klK3(logProbs, refLogProbs), options.beta)); // [N, L]
    }
    const masked = tf.mul(perToken, mask); // [N, L]
    let denominator = options.denominator;
    if (options.lossType === "grpo") {
      // Mean over each sequence's counted tokens, then a sum over sequences / count of sequences.
      const lengths = tf.sum(mask, 1); // [N]
      const perSequence = tf.div(tf.sum(masked, 1), tf.maximum(lengths, 1)); // [N]
      if (denominator === undefined) {
        const active = tf.sum(tf.cast(tf.greater(lengths, 0), "float32")).arraySync() as number;
        denominator = Math.max(1, active);
      }
      return tf.div(tf.sum(perSequence), denominator) as tf.Scalar;
    }
    if (denominator === undefined) {
      if (options.lossType === "dapo") {
        denominator = Math.max(1, tf.sum(mask).arraySync() as number);
      } else {
        if (options.maxNewTokens === undefined) {
          throw new Error("grpoLoss: lossType dr_grpo needs maxNewTokens or an explicit denominator.");
        }
        denominator = Math.max(1, (mask.shape[0] as number) * options.maxNewTokens);
      }
    }
    return tf.div(tf.sum(masked), denominator) as tf.Scalar;
  });
}

export interface GrpoLossStats {
  /** Share of counted tokens where clipping removed the gradient (low or high). */
  clipFraction: number;
  /** Share of counted tokens with A < 0 and rho < 1 - epsLow. */
  clipLowFraction: number;
  /** Share of counted tokens with A > 0 and rho > 1 + epsHigh. */
  clipHighFraction: number;
  /** Mean k3 KL to the reference over counted tokens (0 without a reference). */
  kl: number;
  /** Mean ratio rho over counted tokens. */
  meanRatio: number;
  /** Number of counted tokens. */
  tokens: number;
}

/** Diagnostics of one loss evaluation (reads values back: a sync point). */
export function grpoLossStats(
  inputs: GrpoLossInputs,
  options: Pick<GrpoLossOptions, "epsLow" | "epsHigh">,
): GrpoLossStats {
  const values = tf.tidy(() => {
    const { logProbs, oldLogProbs, refLogProbs, advantages, mask } = inputs;
    const ratio = tf.exp(tf.sub(logProbs, oldLogProbs)); // [N, L]
    const adv = tf.expandDims(advantages, 1); // [N, 1]
    const low = tf.logicalAnd(tf.less(ratio, 1 - options.epsLow), tf.less(adv, 0)); // [N, L]
    const high = tf.logicalAnd(tf.greater(ratio, 1 + options.epsHigh), tf.greater(adv, 0)); // [N, L]
    const lowCount = tf.sum(tf.mul(tf.cast(low, "float32"), mask));
    const highCount = tf.sum(tf.mul(tf.cast(high, "float32"), mask));
    const ratioSum = tf.sum(tf.mul(ratio, mask));
    const klSum =
      refLogProbs === undefined ? tf.scalar(0) : tf.sum(tf.mul(klK3(logProbs, refLogProbs), mask));
    return tf.stack([lowCount, highCount, ratioSum, klSum, tf.sum(mask)]).dataSync();
  });
  const tokens = values[4] as number;
  const per = (x: number) => (tokens > 0 ? x / tokens : 0);
  const lowFraction = per(values[0] as number);
  const highFraction = per(values[1] as number);
  return {
    clipFraction: lowFraction + highFraction,
    clipLowFraction: lowFraction,
    clipHighFraction: highFraction,
    kl: per(values[3] as number),
    meanRatio: per(values[2] as number),
    tokens,
  };
}
