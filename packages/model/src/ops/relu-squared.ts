/**
 * reluSquared: relu(x)^2, the MLP activation of nanochat (from "Primer", So et al. 2021). On
 * wasm one fused kernel each way; elsewhere plain tf ops. Leaves out: nothing.
 */
import * as tf from "@tensorflow/tfjs-core";
import { customOp } from "./custom-op.js";
import { onWasm } from "./register-wasm-kernels.js";
import { RELU2_GRAD_KERNEL, RELU2_KERNEL } from "./wasm-pointwise.js";

const fused = customOp((x: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x]);
  return {
    value: tf.engine().runKernel(RELU2_KERNEL, { x }, {}) as tf.Tensor,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
      tf.engine().runKernel(RELU2_GRAD_KERNEL, { x: saved[0] as tf.Tensor, dy }, {}) as tf.Tensor,
  };
}) as (x: tf.Tensor) => tf.Tensor;

export function reluSquared<T extends tf.Tensor>(x: T): T {
  if (onWasm() && x.dtype === "float32") return fused(x) as T;
  return tf.tidy(() => tf.square(tf.relu(x)) as T);
}
