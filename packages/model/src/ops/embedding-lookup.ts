/**
 * embeddingLookup: rows of a [V, C] table for integer ids of any shape -> [...ids.shape, C].
 * Its gradient is a scatter-add into the table. On wasm one kernel each way ("LlmEmbedding":
 * each row copied with one heap memmove, where the stock GatherV2 walks element by element;
 * the scatter-add is registerWasmKernels' UnsortedSegmentSum); elsewhere tf.gather, whose
 * gradient tfjs computes (UnsortedSegmentSum). Reference: nn.Embedding. Leaves out:
 * padding_idx, max_norm.
 */
import "./tfjs-gradients.generated.js"; // registers tfjs-core's gradient functions (see custom-op.ts)
import * as tf from "@tensorflow/tfjs-core";
import { customOp } from "./custom-op.js";
import { onWasm } from "./register-wasm-kernels.js";
import { EMBEDDING_KERNEL } from "./wasm-embedding.js";

const fused = customOp((table: tf.Tensor, ids: tf.Tensor, save: tf.GradSaveFunc) => {
  save([ids]);
  const V = table.shape[0] as number;
  return {
    value: tf.engine().runKernel(EMBEDDING_KERNEL, { table, ids }, {}) as tf.Tensor, // [N, C]
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [idx] = saved as [tf.Tensor];
      return [tf.unsortedSegmentSum(dy, idx as tf.Tensor1D, V), tf.zerosLike(idx)]; // [V, C]
    },
  };
});

export function embeddingLookup(table: tf.Tensor2D, ids: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const C = table.shape[1];
    const flat = tf.cast(tf.reshape(ids, [-1]), "int32"); // [N]
    const rows = onWasm() && table.dtype === "float32" ? fused(table, flat) : tf.gather(table, flat); // [N, C]
    return tf.reshape(rows, [...ids.shape, C]); // [...ids, C]
  });
}
