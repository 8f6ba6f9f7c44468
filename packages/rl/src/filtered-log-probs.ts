/**
 * filteredLogProbs: per-token log-probs under a constrained-decoding filter's distribution. Where a
 * rollout's logitsFilter kept only some ids, the filtered policy is softmax over those ids, so
 * log p_filtered(token) = log p(token) - log(mass of the kept ids); this subtracts that log mass
 * (a differentiable logsumexp over the kept logits minus one over all) at the filtered positions
 * and leaves the others as they are. Used by grpoUpdate with GrpoConfig.filteredLoss, so the ratio,
 * the KL and the gradient are the guarded policy's own.
 * Reference: the score function of a renormalised (masked) softmax; vLLM's "processed" log-probs.
 * Leaves out: the entropy of the filtered distribution (the entropy metric stays unfiltered).
 */

import * as tf from "@tensorflow/tfjs-core";

/** A filtered position: its flat index into [B, T] (b * T + t) and the ids the filter kept. */
export interface FilteredPosition {
  at: number;
  kept: Int32Array;
}

/**
 * `logProbs` [B, T] (log softmax(logits / temperature) at the targets) with log(kept mass)
 * subtracted at each filtered position. logits [B, T, V]. Returns `logProbs` itself when there is
 * no filtered position.
 */
export function filteredLogProbs(
  logits: tf.Tensor3D,
  logProbs: tf.Tensor2D,
  positions: readonly FilteredPosition[],
  temperature = 1,
): tf.Tensor2D {
  if (positions.length === 0) return logProbs;
  const [B, T, V] = logits.shape;
  const M = positions.length;
  // additive mask [M, V]: 0 at the kept ids, -1e9 elsewhere (finite, so no inf - inf)
  const keep = new Float32Array(M * V).fill(-1e9);
  const index = new Int32Array(B * T); // 0 = unfiltered, m + 1 = the m-th filtered position
  positions.forEach(({ at, kept }, m) => {
    for (const id of kept) keep[m * V + id] = 0;
    index[at] = m + 1;
  });
  return tf.tidy(() => {
    const rows = tf.gather(
      tf.reshape(logits, [B * T, V]),
      tf.tensor1d(
        positions.map((p) => p.at),
        "int32",
      ),
    ); // [M, V]
    const scaled = temperature === 1 ? rows : tf.div(rows, temperature); // [M, V]
    const logMass = tf.sub(
      tf.logSumExp(tf.add(scaled, tf.tensor2d(keep, [M, V])), 1),
      tf.logSumExp(scaled, 1),
    ); // [M], <= 0
    const perPosition = tf.gather(tf.concat([tf.zeros([1]), logMass]), tf.tensor1d(index, "int32")); // [B*T]
    return tf.sub(logProbs, tf.reshape(perPosition, [B, T])) as tf.Tensor2D; // [B, T]
  });
}
