/**
 * targetLogProbs: log softmax(logits / temperature) at the target ids, per position, without an
 * [N, V] one-hot (4 bytes x N x V: 1 GB for 8,192 positions at a 32k vocabulary). The target's
 * logit is read with a 1-D gather of N flat indices (row * V + target), whose gradient is a
 * scatter-add (UnsortedSegmentSum, registered for wasm by registerWasmKernels), and the
 * normaliser is logSumExp over the vocabulary: log p = z[target] - logsumexp(z).
 * Reference: TRL's selective_log_softmax. Leaves out: chunking over positions.
 */
import * as tf from "@tensorflow/tfjs-core";
import "./tfjs-gradients.generated.js"; // registers tfjs-core's gradient functions (see custom-op.ts)

/** logits [..., V] and int32 targets [...] -> log p(target) [...]. */
export function targetLogProbs(logits: tf.Tensor, targets: tf.Tensor, temperature = 1): tf.Tensor {
  return tf.tidy(() => {
    const V = logits.shape[logits.shape.length - 1] as number;
    const outShape = logits.shape.slice(0, -1);
    const N = outShape.reduce((a, b) => a * b, 1);
    const scaled = temperature === 1 ? logits : tf.div(logits, temperature); // [..., V]
    const flat = tf.reshape(scaled, [N, V]) as tf.Tensor2D; // [N, V]
    const rows = tf.mul(tf.range(0, N, 1, "int32"), tf.scalar(V, "int32")); // [N]
    const index = tf.add(rows, tf.reshape(tf.cast(targets, "int32"), [N])); // [N]
    const picked = tf.gather(tf.reshape(flat, [N * V]), index); // [N]
    const norm = tf.logSumExp(flat, 1); // [N]
    return tf.reshape(tf.sub(picked, norm), outShape); // [...]
  });
}
