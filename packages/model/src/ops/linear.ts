/**
 * linear: x @ w for 2-D x [N, in] and w [in, out], no bias (nanochat has none). The gradient is
 * written by hand so both backward products are 2-D and untransposed (dx = dy @ w^T and
 * dw = x^T @ dy with the transposes materialised): tfjs-backend-wasm runs only that shape on
 * XNNPACK, every transposed matmul on a ~20x slower loop. Reference: nanoGPT's
 * nn.Linear(bias=False), stored as [in, out]. Leaves out: bias, batched inputs (fold leading
 * dims into rows first: the tfjs broadcast-matmul gradient bug, facts.md).
 */
import * as tf from "@tensorflow/tfjs-core";
import { customOp } from "./custom-op.js";

const linearOp = customOp((x: tf.Tensor, w: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    value: tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), // [N, out]
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      const dx = tf.matMul(dy as tf.Tensor2D, tf.transpose(ws)); // [N, out] @ [out, in]
      const dw = tf.matMul(tf.transpose(xs), dy as tf.Tensor2D); // [in, N] @ [N, out]
      return [dx, dw];
    },
  };
});

export function linear(x: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  return linearOp(x, w) as tf.Tensor2D;
}
