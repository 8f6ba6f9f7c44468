/**
 * smearKeys: k'[t] = g*k[t] + (1-g)*k[t-1] per head, g = sigmoid(gate logits), zeros before the
 * first position (Olsson et al. 2022's smeared keys; the GPT's `smearKeys` option). On wasm one
 * kernel each way (wasm-smear-keys.ts: a pass over the keys forward, one backward that also sums
 * the gates' gradient) instead of ~18 tf ops a layer (slice, pad, sigmoid, broadcast products
 * and their reductions); elsewhere plain tf ops, the specification. Reference: the PyTorch
 * reference's smear_keys (bench/reference/gpt.py). Leaves out: a gate per channel.
 */
import * as tf from "@tensorflow/tfjs-core";
import { customOp } from "./custom-op.js";
import { onWasm } from "./register-wasm-kernels.js";
import { SMEAR_KEYS_GRAD_KERNEL, SMEAR_KEYS_KERNEL } from "./wasm-smear-keys.js";

/** Plain tf ops: the specification. */
function plain(k: tf.Tensor4D, gateLogits: tf.Tensor2D): tf.Tensor4D {
  const [B, nh, T, hs] = k.shape;
  const g = tf.reshape(tf.sigmoid(gateLogits), [1, nh, 1, 1]); // [1, nh, 1, 1]
  if (T === 1) return tf.mul(k, g) as tf.Tensor4D; // [B, nh, 1, hs]
  const prev = tf.pad(tf.slice(k, [0, 0, 0, 0], [B, nh, T - 1, hs]), [
    [0, 0],
    [0, 0],
    [1, 0],
    [0, 0],
  ]); // [B, nh, T, hs]
  return tf.add(tf.mul(k, g), tf.mul(prev, tf.sub(1, g))) as tf.Tensor4D; // [B, nh, T, hs]
}

const fused = customOp((k: tf.Tensor, gate: tf.Tensor, save: tf.GradSaveFunc) => {
  save([k, gate]);
  return {
    value: tf.engine().runKernel(SMEAR_KEYS_KERNEL, { k, gate }, {}) as tf.Tensor,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [ks, gs] = saved as [tf.Tensor, tf.Tensor];
      return tf.engine().runKernel(SMEAR_KEYS_GRAD_KERNEL, { dy, k: ks, gate: gs }, {}) as tf.Tensor[];
    },
  };
});

/**
 * @param k [B, nh, T, hs] keys (rotated and normed)
 * @param gateLogits [1, nh] one logit per head
 * @returns [B, nh, T, hs]
 */
export function smearKeys(k: tf.Tensor4D, gateLogits: tf.Tensor2D): tf.Tensor4D {
  if (onWasm() && k.dtype === "float32" && gateLogits.dtype === "float32")
    return fused(k, gateLogits) as tf.Tensor4D;
  return tf.tidy(() => plain(k, gateLogits));
}
