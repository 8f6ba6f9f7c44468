/**
 * rmsNorm: parameter-free RMSNorm over the last axis, x / sqrt(mean(x^2) + eps). On wasm one
 * fused kernel forward and one backward; elsewhere plain tf ops (autodiff). Reference:
 * nanochat's norm() (F.rms_norm without weight). Leaves out: a learned scale.
 */
import * as tf from "@tensorflow/tfjs-core";
import { customOp } from "./custom-op.js";
import { onWasm } from "./register-wasm-kernels.js";
import { RMS_NORM_GRAD_KERNEL, RMS_NORM_KERNEL } from "./wasm-pointwise.js";

const fusedByEps = new Map<number, (x: tf.Tensor) => tf.Tensor>();

function fused(eps: number): (x: tf.Tensor) => tf.Tensor {
  let op = fusedByEps.get(eps);
  if (op === undefined) {
    op = customOp((x: tf.Tensor, save: tf.GradSaveFunc) => {
      const [y, r] = tf.engine().runKernel(RMS_NORM_KERNEL, { x }, { eps }) as [tf.Tensor, tf.Tensor];
      save([y as tf.Tensor, r as tf.Tensor]);
      return {
        value: y as tf.Tensor,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [ys, rs] = saved as [tf.Tensor, tf.Tensor];
          return tf.engine().runKernel(RMS_NORM_GRAD_KERNEL, { dy, y: ys, r: rs }, {}) as tf.Tensor;
        },
      };
    }) as (x: tf.Tensor) => tf.Tensor;
    fusedByEps.set(eps, op);
  }
  return op;
}

export function rmsNorm<T extends tf.Tensor>(x: T, eps = 1e-6): T {
  if (onWasm() && x.dtype === "float32") return fused(eps)(x) as T;
  return tf.tidy(() => {
    const ms = tf.mean(tf.square(x), -1, true); // [..., 1]
    return tf.mul(x, tf.rsqrt(tf.add(ms, eps))) as T;
  });
}
