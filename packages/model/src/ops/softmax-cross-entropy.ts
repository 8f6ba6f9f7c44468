/**
 * softmaxCrossEntropy / softcapCrossEntropy: mean over rows of -log softmax(z)[target], or,
 * with a mask, sum(mask * CE) / sum(mask) (the SFT loss); z = cap * tanh(logits / cap) for the
 * softcapped variant (nanochat's logit softcap fused into the loss). On wasm one fused kernel
 * computes the loss and its gradient; elsewhere plain tf ops with a hand-written gradient.
 * Reference: F.cross_entropy, llm.c's fused classifier. Leaves out: ignore_index (use a 0
 * mask), label smoothing.
 */
import * as tf from "@tensorflow/tfjs-core";
// webgpu registers the same fused kernels (WGSL) under the same names
import { onWebGpu } from "../webgpu/register-webgpu-kernels.js";
import { customOp } from "./custom-op.js";
import { onWasm } from "./register-wasm-kernels.js";
import { SOFTMAX_CE_KERNEL } from "./wasm-cross-entropy.js";

/** Per-row weights: 1/N, or mask / sum(mask). */
function rowWeights(N: number, mask?: tf.Tensor1D): tf.Tensor1D {
  if (mask === undefined) return tf.fill([N], 1 / N, "float32") as tf.Tensor1D;
  const m = tf.cast(mask, "float32");
  return tf.div(m, tf.maximum(tf.sum(m), 1e-12)) as tf.Tensor1D; // [N]
}

const fusedOp = (cap: number) =>
  customOp((logits: tf.Tensor, targets: tf.Tensor, weights: tf.Tensor, save: tf.GradSaveFunc) => {
    const [loss, grad] = tf.engine().runKernel(SOFTMAX_CE_KERNEL, { logits, targets, weights }, {
      cap,
    } as unknown as tf.NamedAttrMap) as [tf.Scalar, tf.Tensor2D];
    save([grad as tf.Tensor]);
    return {
      value: loss,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const g = saved[0] as tf.Tensor;
        // the loss is the last op of a step: dy is 1 there, so on wasm (where reading one
        // number back is a copy from the heap) the [N, V] product is skipped
        const scaled = onWasm() && dy.dataSync()[0] === 1 ? tf.clone(g) : tf.mul(g, dy);
        return [scaled, tf.zerosLike(targets), tf.zerosLike(weights)];
      },
    };
  });

const fusedByCap = new Map<number, ReturnType<typeof fusedOp>>();

function plain(logits: tf.Tensor2D, targets: tf.Tensor1D, weights: tf.Tensor1D, cap: number): tf.Scalar {
  const [N, V] = logits.shape;
  const onehot = tf.cast(tf.oneHot(tf.cast(targets, "int32"), V), "float32"); // [N, V]
  const f = customOp((x: tf.Tensor, save: tf.GradSaveFunc) => {
    const z = cap > 0 ? tf.mul(tf.tanh(tf.div(x, cap)), cap) : x; // [N, V]
    const logp = tf.logSoftmax(z as tf.Tensor2D); // [N, V]
    const ce = tf.neg(tf.sum(tf.mul(logp, onehot), 1)); // [N]
    save([logp, onehot, weights, z]);
    return {
      value: tf.sum(tf.mul(ce, weights)),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [lp, oh, w, zs] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        let g = tf.mul(tf.sub(tf.exp(lp), oh), tf.reshape(w, [N, 1])); // [N, V]
        if (cap > 0) g = tf.mul(g, tf.sub(1, tf.square(tf.div(zs, cap))));
        return [tf.mul(g, dy)];
      },
    };
  });
  return f(logits) as tf.Scalar;
}

/** Cross-entropy of z = cap * tanh(logits / cap) (cap 0 = no softcap); see file docstring. */
export function softcapCrossEntropy(
  logits: tf.Tensor2D,
  targets: tf.Tensor1D,
  cap: number,
  mask?: tf.Tensor1D,
): tf.Scalar {
  const [N] = logits.shape;
  return tf.tidy(() => {
    const weights = rowWeights(N, mask);
    const ids = tf.cast(targets, "int32") as tf.Tensor1D;
    if ((onWasm() || onWebGpu()) && logits.dtype === "float32") {
      let op = fusedByCap.get(cap);
      if (op === undefined) {
        op = fusedOp(cap);
        fusedByCap.set(cap, op);
      }
      return op(logits, ids, weights) as tf.Scalar;
    }
    return plain(logits, ids, weights, cap);
  });
}

/** Mean cross-entropy, or sum(mask * CE) / sum(mask). */
export function softmaxCrossEntropy(
  logits: tf.Tensor2D,
  targets: tf.Tensor1D,
  mask?: tf.Tensor1D,
): tf.Scalar {
  return softcapCrossEntropy(logits, targets, 0, mask);
}
