/**
 * Per-token log-probabilities and entropies of next-token predictions: log softmax(logits / T)
 * picked at the target ids (@llm/model's targetLogProbs, the one implementation, which needs no
 * [B, T, V] one-hot). Reference: TRL's selective_log_softmax and entropy_from_logits.
 * Leaves out: chunking over the vocabulary for very large vocabularies.
 */

import { targetLogProbs } from "@llm/model";
import * as tf from "@tensorflow/tfjs-core";

/** log p(target) at every position, with logits divided by `temperature`. logits [B, T, V], targets int32 [B, T] -> [B, T]. */
export function tokenLogProbs(logits: tf.Tensor3D, targets: tf.Tensor2D, temperature = 1): tf.Tensor2D {
  return targetLogProbs(logits, targets, temperature) as tf.Tensor2D; // [B, T]
}

/** Entropy of the (temperature-scaled) next-token distribution at every position. [B, T, V] -> [B, T]. */
export function tokenEntropies(logits: tf.Tensor3D, temperature = 1): tf.Tensor2D {
  return tf.tidy(() => {
    const scaled = temperature === 1 ? logits : tf.div(logits, temperature); // [B, T, V]
    const logp = tf.logSoftmax(scaled); // [B, T, V]
    return tf.neg(tf.sum(tf.mul(tf.exp(logp), logp), 2)) as tf.Tensor2D; // [B, T]
  });
}
