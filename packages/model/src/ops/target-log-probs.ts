/**
 * targetLogProbs: log softmax(logits / temperature) at the target ids, per position, without an
 * [N, V] one-hot (4 bytes x N x V: 1 GB for 8,192 positions at a 32k vocabulary). The target's
 * logit is read with a 1-D gather of N flat indices (row * V + target), whose gradient is a
 * scatter-add (UnsortedSegmentSum, registered for wasm by registerWasmKernels), and the
 * normaliser is logSumExp over the vocabulary: log p = z[target] - logsumexp(z).
 * On wasm with our SIMD module (V a multiple of 4) one kernel gives log p and d log p / d logits
 * (onehot - softmax, scaled by dy per row in the gradient) in one pass over the rows, where the
 * gather, logSumExp and their gradients took ~10 kernels over [N, V].
 * Reference: TRL's selective_log_softmax. Leaves out: chunking over positions.
 */
import * as tf from "@tensorflow/tfjs-core";
import "./tfjs-gradients.generated.js"; // registers tfjs-core's gradient functions (see custom-op.ts)
import { customOp } from "./custom-op.js";
import { onWasm } from "./register-wasm-kernels.js";
import type { WasmBackend } from "./wasm-backend.js";
import { TARGET_LOG_PROBS_KERNEL, targetLogProbsFits } from "./wasm-cross-entropy.js";

const fused = customOp((logits: tf.Tensor, targets: tf.Tensor, save: tf.GradSaveFunc) => {
  const [logp, grad] = tf.engine().runKernel(TARGET_LOG_PROBS_KERNEL, { logits, targets }, {}) as [
    tf.Tensor,
    tf.Tensor,
  ];
  save([grad as tf.Tensor]);
  return {
    value: logp as tf.Tensor, // [N]
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const g = saved[0] as tf.Tensor; // [N, V]
      return [tf.mul(g, tf.reshape(dy, [-1, 1])), tf.zerosLike(targets)]; // [N, V]
    },
  };
});

/** logits [..., V] and int32 targets [...] -> log p(target) [...]. */
export function targetLogProbs(logits: tf.Tensor, targets: tf.Tensor, temperature = 1): tf.Tensor {
  return tf.tidy(() => {
    const V = logits.shape[logits.shape.length - 1] as number;
    const outShape = logits.shape.slice(0, -1);
    const N = outShape.reduce((a, b) => a * b, 1);
    const scaled = temperature === 1 ? logits : tf.div(logits, temperature); // [..., V]
    const flat = tf.reshape(scaled, [N, V]) as tf.Tensor2D; // [N, V]
    if (onWasm() && flat.dtype === "float32" && targetLogProbsFits(tf.backend() as unknown as WasmBackend, V))
      return tf.reshape(fused(flat, tf.reshape(tf.cast(targets, "int32"), [N])), outShape); // [...]
    const rows = tf.mul(tf.range(0, N, 1, "int32"), tf.scalar(V, "int32")); // [N]
    const index = tf.add(rows, tf.reshape(tf.cast(targets, "int32"), [N])); // [N]
    const picked = tf.gather(tf.reshape(flat, [N * V]), index); // [N]
    const norm = tf.logSumExp(flat, 1); // [N]
    return tf.reshape(tf.sub(picked, norm), outShape); // [...]
  });
}
