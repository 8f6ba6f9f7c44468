/**
 * adamwUpdate: one AdamW update of a parameter in one pass (on wasm a single JS kernel instead
 * of ~12 tfjs kernels per parameter): m' = b1 m + (1-b1) g; v' = b2 v + (1-b2) g^2;
 * p' = p (1 - lr wd) - lr (m'/bc1) / (sqrt(v'/bc2) + eps). Returns new tensors [p', m', v']
 * for the caller to assign. Reference: torch.optim.AdamW (decoupled decay). Leaves out:
 * amsgrad, maximize, foreach/multi-tensor batching.
 */
import * as tf from "@tensorflow/tfjs-core";
import { onWasm } from "./register-wasm-kernels.js";
import { ADAMW_KERNEL } from "./wasm-pointwise.js";

export interface AdamWUpdateConfig {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** Decoupled weight decay coefficient for this parameter (0 = none). */
  weightDecay: number;
  /** Bias corrections 1 - beta1^t and 1 - beta2^t. */
  bc1: number;
  bc2: number;
}

export function adamwUpdate(
  param: tf.Tensor,
  grad: tf.Tensor,
  m: tf.Tensor,
  v: tf.Tensor,
  c: AdamWUpdateConfig,
): [tf.Tensor, tf.Tensor, tf.Tensor] {
  if (onWasm() && param.dtype === "float32" && grad.dtype === "float32") {
    return tf
      .engine()
      .runKernel(ADAMW_KERNEL, { param, grad, m, v }, { ...c } as unknown as tf.NamedAttrMap) as [
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
    ];
  }
  return tf.tidy(() => {
    const mNew = tf.add(tf.mul(m, c.beta1), tf.mul(grad, 1 - c.beta1));
    const vNew = tf.add(tf.mul(v, c.beta2), tf.mul(tf.square(grad), 1 - c.beta2));
    const update = tf.div(tf.div(mNew, c.bc1), tf.add(tf.sqrt(tf.div(vNew, c.bc2)), c.eps));
    const decayed = c.weightDecay > 0 ? tf.mul(param, 1 - c.lr * c.weightDecay) : param;
    return [tf.sub(decayed, tf.mul(update, c.lr)), mNew, vNew] as [tf.Tensor, tf.Tensor, tf.Tensor];
  });
}
