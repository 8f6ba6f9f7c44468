/**
 * embeddingLookup: rows of a [V, C] table for integer ids of any shape -> [...ids.shape, C].
 * Its gradient is a scatter-add into the table (UnsortedSegmentSum, registered for wasm by
 * registerWasmKernels). Reference: nn.Embedding. Leaves out: padding_idx, max_norm.
 */
import "./tfjs-gradients.generated.js"; // registers tfjs-core's gradient functions (see custom-op.ts)
import * as tf from "@tensorflow/tfjs-core";

export function embeddingLookup(table: tf.Tensor2D, ids: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const C = table.shape[1];
    const flat = tf.reshape(ids, [-1]); // [N]
    const rows = tf.gather(table, flat); // [N, C]
    return tf.reshape(rows, [...ids.shape, C]); // [...ids, C]
  });
}
