/**
 * attendWithCache: causal attention of T new queries over the Tpast + T keys and values of a KV
 * cache, for incremental decoding. Plain tfjs ops (inference only; training goes through
 * ops.causalAttention). Reference: nanochat's engine KV cache. Leaves out: paged caches.
 */
import * as tf from "@tensorflow/tfjs-core";

/**
 * Attention of T new queries over Tk = Tpast + T cached keys (inference only): query i sits at
 * absolute position Tpast + i and sees keys 0..Tpast + i. Plain tfjs ops; training uses ops.causalAttention.
 */
export function attendWithCache(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const T = q.shape[2];
    const Tk = k.shape[2];
    const hs = q.shape[3];
    let scores = tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(hs)); // [B, nh, T, Tk]
    if (T > 1) {
      const mask = new Float32Array(T * Tk);
      for (let i = 0; i < T; i++) for (let j = Tk - T + i + 1; j < Tk; j++) mask[i * Tk + j] = -1e9;
      scores = tf.add(scores, tf.tensor2d(mask, [T, Tk])); // [B, nh, T, Tk]
    }
    return tf.matMul(tf.softmax(scores), v) as tf.Tensor4D; // [B, nh, T, hs]
  });
}
