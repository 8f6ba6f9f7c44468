/**
 * causalAttention: softmax(q k^T / sqrt(hs) + causal mask) v over [B, nh, T, hs] tensors that
 * are already rotated (RoPE) and normed: the one attention of the model, for training, prefill
 * and cached decoding. When k/v are longer than q (a KV cache of Tk = Tpast + T keys), the
 * queries are the last T positions. On wasm or webgpu with equal query and key lengths it runs
 * our fused kernels (per-head XNNPACK products, fused mask+softmax and its backward); a single
 * decoding query on wasm runs as one kernel (wasm-decode-attention.ts, bit-identical to the plain
 * ops); otherwise plain tf ops (no mask at all for a single decoding query). Reference: nanoGPT's
 * CausalSelfAttention (non-flash path), nanochat's engine KV cache. Leaves out: dropout, paged
 * caches.
 */
import * as tf from "@tensorflow/tfjs-core";
// webgpu registers the same fused kernels (WGSL) under the same names
import { onWebGpu } from "../webgpu/register-webgpu-kernels.js";
import { customOp } from "./custom-op.js";
import { hasKernel, onWasm } from "./register-wasm-kernels.js";
import { ATTENTION_BWD_KERNEL, ATTENTION_FWD_KERNEL } from "./wasm-attention.js";
import { DECODE_ATTENTION_KERNEL } from "./wasm-decode-attention.js";

/**
 * Plain tf ops, for every backend and for queries shorter than keys (a KV cache): query i sits at
 * absolute position Tk - T + i and sees keys j <= Tk - T + i. One new query (a decoding step)
 * sees every key, so it needs no mask; otherwise a [T, Tk] additive mask is built on the CPU.
 */
function plainAttention(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor): tf.Tensor {
  const T = q.shape[2] as number;
  const Tk = k.shape[2] as number;
  const hs = q.shape[3] as number;
  let scores = tf.mul(tf.matMul(q as tf.Tensor4D, k as tf.Tensor4D, false, true), 1 / Math.sqrt(hs)); // [B, nh, T, Tk]
  if (T > 1) {
    const mask = new Float32Array(T * Tk);
    for (let i = 0; i < T; i++) mask.fill(-1e9, i * Tk + Tk - T + i + 1, (i + 1) * Tk);
    scores = tf.add(scores, tf.tensor2d(mask, [T, Tk])); // [B, nh, T, Tk]
  }
  return tf.matMul(tf.softmax(scores) as tf.Tensor4D, v as tf.Tensor4D); // [B, nh, T, hs]
}

const fusedAttention = customOp((q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, save: tf.GradSaveFunc) => {
  const [y, probs] = tf.engine().runKernel(ATTENTION_FWD_KERNEL, { q, k, v }, {}) as [tf.Tensor, tf.Tensor];
  save([q, k, v, probs as tf.Tensor]);
  return {
    value: y as tf.Tensor,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [qs, ks, vs, ps] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      return tf
        .engine()
        .runKernel(ATTENTION_BWD_KERNEL, { q: qs, k: ks, v: vs, probs: ps, dy }, {}) as tf.Tensor[];
    },
  };
});

export function causalAttention(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [B, nh, T, hs] = q.shape as [number, number, number, number];
    if ((onWasm() || onWebGpu()) && k.shape[2] === T && q.dtype === "float32") {
      const flat = (t: tf.Tensor) => tf.reshape(t, [B * nh, T, hs]); // [B*nh, T, hs]
      const y = fusedAttention(flat(q), flat(k), flat(v)); // [B*nh, T, hs]
      return tf.reshape(y, [B, nh, T, hs]);
    }
    if (
      onWasm() &&
      T === 1 &&
      [q, k, v].every((t) => t.dtype === "float32") &&
      hasKernel(DECODE_ATTENTION_KERNEL)
    )
      return tf.engine().runKernel(DECODE_ATTENTION_KERNEL, { q, k, v }, {}) as tf.Tensor; // [B, nh, 1, hs]
    return plainAttention(q, k, v);
  });
}
