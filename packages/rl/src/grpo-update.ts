/**
 * grpoUpdate: the optimisation half of one GRPO step. From a batch of rollout rows it computes the
 * old log-probs (and entropy, and the reference's log-probs when beta > 0) in one no-gradient
 * pass, then runs `passes` passes of the clipped objective: gradients of each micro-batch are
 * accumulated (each scaled by the whole batch's denominator, so micro-batching does not change
 * the update), clipped by global norm and applied with AdamW. With an SFT replay batch, every pass
 * also adds the gradient of coefficient x the model's masked next-token loss on it (the loss
 * @llm/sft trains with, GPT.loss), so the step follows rlLoss + coefficient x sftLoss.
 * With one pass the old log-probs are the pass's own (the same weights and inputs), so they are read
 * from the gradient pass's forward and held fixed there instead of costing a forward pass of their
 * own; the values are the same, and so is the update (`UpdateOptions.separateOldPass` runs the
 * separate pass, for the test that checks this).
 * With cfg.filteredLoss, the policy's (old and new) and the reference's log-probs at the tokens a
 * rollout logitsFilter constrained are those of the filtered distribution (filteredLogProbs).
 * Reference: TRL's GRPOTrainer (num_iterations, old_per_token_logps), nanochat's chat_rl.py;
 * InstructGPT (Ouyang et al. 2022), PPO-ptx, for the replay term.
 * Leaves out: gradient checkpointing, mixed precision.
 */

import type { Batch } from "@llm/core";
import {
  type AdamW,
  accumulateGradients,
  batchTensors,
  clipGlobalNorm,
  computeGradients,
  disposeGradients,
  type GPT,
  type Gradients,
} from "@llm/model";
import * as tf from "@tensorflow/tfjs-core";
import { type FilteredPosition, filteredLogProbs } from "./filtered-log-probs.js";
import type { GrpoConfig } from "./grpo-config.js";
import { grpoLoss, grpoLossStats, lossDenominator } from "./grpo-loss.js";
import type { PolicyBatch } from "./policy-batch.js";
import { tokenEntropies, tokenLogProbs } from "./token-log-probs.js";

/** What one update measured. */
export interface UpdateResult {
  /** Loss, mean over passes. */
  loss: number;
  /** Global gradient norm of the first pass, before clipping. */
  gradNorm: number;
  /** Share of counted tokens clipped, mean over passes. */
  clipFraction: number;
  /** Mean k3 KL to the reference over counted tokens and passes. */
  kl: number;
  /** Mean entropy of the policy over counted tokens, before the update. */
  entropy: number;
  /** Mean |sampling log-prob - recomputed log-prob| over counted tokens. */
  logProbGap: number;
  /** Masked SFT cross-entropy of the replay batch (before the coefficient), mean over passes; 0 without replay. */
  replayLoss: number;
}

/** An SFT batch (inputs, targets, assistant-token mask) whose loss joins the update, weighted. */
export interface ReplayBatch {
  batch: Batch;
  coefficient: number;
}

/** How grpoUpdate computes what does not change the update. */
export interface UpdateOptions {
  /**
   * Compute the old log-probs (and entropy, log-prob gap) in a forward pass of their own also
   * when there is one pass. Default false: with one pass they come from the gradient pass's
   * forward, the same values without the second forward.
   */
  separateOldPass?: boolean;
}

interface Chunk {
  inputs: tf.Tensor2D;
  targets: tf.Tensor2D;
  mask: tf.Tensor2D;
  advantages: tf.Tensor1D;
  /** Absent when the single pass computes them (fused). */
  oldLogProbs?: tf.Tensor2D;
  /** The sampling log-probs, kept for the fused pass's gap. */
  sampling?: tf.Tensor2D;
  refLogProbs?: tf.Tensor2D;
  /** Filtered positions of the chunk's rows (cfg.filteredLoss), indices into the chunk's [n, T]. */
  filtered: FilteredPosition[];
  tokens: number;
}

/** Runs cfg.passes optimisation passes over one batch of rollout rows (`rolloutCount` rollouts in all). */
export function grpoUpdate(
  model: GPT,
  reference: GPT | undefined,
  optimizer: AdamW,
  batch: PolicyBatch,
  rolloutCount: number,
  cfg: GrpoConfig,
  lr: number,
  replay?: ReplayBatch,
  options: UpdateOptions = {},
): UpdateResult {
  const T = batch.seqLen;
  // one pass: the old log-probs are read from that pass's forward (the same values)
  const fused = cfg.passes === 1 && options.separateOldPass !== true;
  const rowsPerChunk = cfg.microBatchSize > 0 ? cfg.microBatchSize : batch.batchSize;
  // Every rollout counts in the denominator (left-out ones with 0 tokens), so micro-batches add up to the batch.
  const tokensPerSequence = [
    ...batch.tokensPerRow,
    ...Array.from({ length: rolloutCount - batch.batchSize }, () => 0),
  ];
  const denominator = lossDenominator(cfg.lossType, tokensPerSequence, cfg.maxNewTokens);
  const chunks: Chunk[] = [];
  let entropySum = 0;
  let gapSum = 0;
  let tokenTotal = 0;
  const replayTensors = replay === undefined ? undefined : batchTensors(replay.batch); // [B, T] each
  try {
    for (let start = 0; start < batch.batchSize; start += rowsPerChunk) {
      const rows = Math.min(rowsPerChunk, batch.batchSize - start);
      const filtered = cfg.filteredLoss
        ? (batch.filtered ?? [])
            .filter((f) => f.at >= start * T && f.at < (start + rows) * T)
            .map((f) => ({ at: f.at - start * T, kept: f.kept }))
        : [];
      // log p of the targets, under the filter's distribution at its positions when asked
      const logProbsOf = (logits: tf.Tensor3D, targets: tf.Tensor2D) =>
        filteredLogProbs(logits, tokenLogProbs(logits, targets, cfg.temperature), filtered, cfg.temperature);
      const chunk = tf.tidy(() => {
        const inputs = tf.tensor2d(batch.inputs.subarray(start * T, (start + rows) * T), [rows, T], "int32"); // [n, T]
        const targets = tf.tensor2d(
          batch.targets.subarray(start * T, (start + rows) * T),
          [rows, T],
          "int32",
        ); // [n, T]
        const mask = tf.tensor2d(batch.mask.subarray(start * T, (start + rows) * T), [rows, T]); // [n, T]
        const sampling = tf.tensor2d(batch.samplingLogProbs.subarray(start * T, (start + rows) * T), [
          rows,
          T,
        ]); // [n, T]
        const advantages = tf.tensor1d(batch.advantages.subarray(start, start + rows)); // [n]
        const refLogProbs =
          reference === undefined ? undefined : logProbsOf(reference.forward(inputs), targets); // [n, T]
        if (fused) {
          return {
            inputs,
            targets,
            mask,
            advantages,
            sampling,
            ...(refLogProbs === undefined ? {} : { refLogProbs }),
            sums: tf.stack([tf.scalar(0), tf.scalar(0), tf.sum(mask)]),
          };
        }
        const logits = model.forward(inputs); // [n, T, V]
        const oldLogProbs = logProbsOf(logits, targets); // [n, T]
        const entropy = tf.sum(tf.mul(tokenEntropies(logits, cfg.temperature), mask)); // []
        const gap = tf.sum(tf.mul(tf.abs(tf.sub(oldLogProbs, sampling)), mask)); // []
        return {
          inputs,
          targets,
          mask,
          advantages,
          oldLogProbs,
          ...(refLogProbs === undefined ? {} : { refLogProbs }),
          sums: tf.stack([entropy, gap, tf.sum(mask)]),
        };
      });
      const [entropy, gap, tokens] = Array.from(chunk.sums.dataSync());
      chunk.sums.dispose();
      entropySum += entropy as number;
      gapSum += gap as number;
      tokenTotal += tokens as number;
      const { sums: _, ...rest } = chunk;
      chunks.push({ ...rest, filtered, tokens: tokens as number });
    }
    let lossSum = 0;
    let clipSum = 0;
    let klSum = 0;
    let gradNorm = 0;
    let replaySum = 0;
    const lossOptions = {
      epsLow: cfg.epsLow,
      epsHigh: cfg.epsHigh,
      beta: cfg.beta,
      lossType: cfg.lossType,
      maxNewTokens: cfg.maxNewTokens,
      denominator,
    };
    for (let pass = 0; pass < cfg.passes; pass++) {
      let grads: Gradients = new Map();
      try {
        for (const chunk of chunks) {
          const result = computeGradients(model, () => {
            const logits = model.forward(chunk.inputs); // [n, T, V]
            const logProbs = filteredLogProbs(
              logits,
              tokenLogProbs(logits, chunk.targets, cfg.temperature),
              chunk.filtered,
              cfg.temperature,
            ); // [n, T]
            let oldLogProbs = chunk.oldLogProbs;
            if (oldLogProbs === undefined) {
              // fused: this pass's log-probs as constants (a copy off the tape), and the stats the
              // separate pass would have taken from the same logits
              oldLogProbs = tf.tensor2d(logProbs.dataSync() as Float32Array, logProbs.shape); // [n, T]
              const old = oldLogProbs;
              const sums = tf.tidy(() =>
                tf.stack([
                  tf.sum(tf.mul(tokenEntropies(logits as tf.Tensor3D, cfg.temperature), chunk.mask)),
                  tf.sum(tf.mul(tf.abs(tf.sub(old, chunk.sampling as tf.Tensor2D)), chunk.mask)),
                ]),
              );
              const [entropy, gap] = Array.from(sums.dataSync());
              sums.dispose();
              entropySum += entropy as number;
              gapSum += gap as number;
            }
            const inputs = {
              logProbs,
              oldLogProbs,
              advantages: chunk.advantages,
              mask: chunk.mask,
              ...(chunk.refLogProbs === undefined ? {} : { refLogProbs: chunk.refLogProbs }),
            };
            const stats = grpoLossStats(inputs, lossOptions);
            clipSum += stats.clipFraction * stats.tokens;
            klSum += stats.kl * stats.tokens;
            return grpoLoss(inputs, lossOptions);
          });
          lossSum += result.loss;
          grads = accumulateGradients(grads, result.grads);
        }
        if (replay !== undefined && replayTensors !== undefined) {
          const { inputs, targets, mask } = replayTensors;
          // [] coefficient x masked mean CE over the assistant tokens, GPT.loss as @llm/sft trains
          const result = computeGradients(model, () =>
            tf.mul(model.loss(inputs, targets, mask), replay.coefficient),
          );
          replaySum += replay.coefficient > 0 ? result.loss / replay.coefficient : 0;
          grads = accumulateGradients(grads, result.grads);
        }
        const clipped = clipGlobalNorm(grads, cfg.gradClip);
        grads = clipped.grads;
        if (pass === 0) gradNorm = clipped.norm;
        optimizer.apply(grads, lr);
      } finally {
        disposeGradients(grads);
      }
    }
    const perToken = (x: number) => (tokenTotal > 0 ? x / tokenTotal : 0);
    return {
      loss: lossSum / cfg.passes,
      gradNorm,
      clipFraction: perToken(clipSum) / cfg.passes,
      kl: perToken(klSum) / cfg.passes,
      entropy: perToken(entropySum),
      logProbGap: perToken(gapSum),
      replayLoss: replaySum / cfg.passes,
    };
  } finally {
    replayTensors?.inputs.dispose();
    replayTensors?.targets.dispose();
    replayTensors?.mask?.dispose();
    for (const chunk of chunks) {
      for (const t of [
        chunk.inputs,
        chunk.targets,
        chunk.mask,
        chunk.advantages,
        chunk.oldLogProbs,
        chunk.sampling,
        chunk.refLogProbs,
      ]) {
        t?.dispose();
      }
    }
  }
}
