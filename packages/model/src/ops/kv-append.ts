/**
 * kvAppend: one decoding step's cache update for a layer: the new keys (smeared with the cache's
 * last raw key when the model smears keys) and values appended to the cached ones, and the last raw
 * key kept for the next step. On wasm one kernel (wasm-kv-append.ts) instead of the ~7 tf ops of
 * the specification below (concat, smear, two slices, transpose, two concats); bit-identical to
 * them. Reference: nanochat's KVCache.insert_kv. Leaves out: gradients (inference only),
 * preallocated caches (tfjs tensors are immutable).
 */
import * as tf from "@tensorflow/tfjs-core";
import { hasKernel, onWasm } from "./register-wasm-kernels.js";
import { smearKeys } from "./smear-keys.js";
import { KV_APPEND_KERNEL } from "./wasm-kv-append.js";

export interface KvAppendInputs {
  /** Cached keys [B, nh, Tp, hs], already smeared when `gate` is given. */
  pastK: tf.Tensor4D;
  /** Cached values [B, nh, Tp, hs]. */
  pastV: tf.Tensor4D;
  /** New raw keys [B, nh, T, hs] (rotated and normed). */
  k: tf.Tensor4D;
  /** New values as the projection gives them, [B*T, nh*hs] (rows in [B, T, nh, hs] order). */
  vRows: tf.Tensor2D;
  /** Smeared keys only: the cache's last raw key [B, nh, 1, hs] and the gate logits [1, nh]. */
  smear?: { prevRaw: tf.Tensor4D; gate: tf.Tensor2D };
}

export interface KvAppended {
  /** [B, nh, Tp + T, hs] what attention reads. */
  keys: tf.Tensor4D;
  /** [B, nh, Tp + T, hs] */
  values: tf.Tensor4D;
  /** The last new raw key [B, nh, 1, hs]. */
  lastRaw: tf.Tensor4D;
}

/** Plain tf ops: the specification. */
function plain(x: KvAppendInputs): KvAppended {
  const [B, nh, T, hs] = x.k.shape;
  const v = tf.transpose(tf.reshape(x.vRows, [B, T, nh, hs]), [0, 2, 1, 3]) as tf.Tensor4D; // [B, nh, T, hs]
  const kNew =
    x.smear === undefined
      ? x.k
      : (tf.slice(
          smearKeys(tf.concat([x.smear.prevRaw, x.k], 2), x.smear.gate),
          [0, 0, 1, 0],
          [B, nh, T, hs],
        ) as tf.Tensor4D);
  return {
    keys: tf.concat([x.pastK, kNew], 2), // [B, nh, Tp + T, hs]
    values: tf.concat([x.pastV, v], 2), // [B, nh, Tp + T, hs]
    lastRaw: tf.slice(x.k, [0, 0, T - 1, 0], [B, nh, 1, hs]) as tf.Tensor4D, // [B, nh, 1, hs]
  };
}

/** Appends one step's keys and values to a layer's cache (call inside tf.tidy or dispose). */
export function kvAppend(x: KvAppendInputs): KvAppended {
  const ok = (t: tf.Tensor | undefined) => t === undefined || t.dtype === "float32";
  if (
    !onWasm() ||
    !hasKernel(KV_APPEND_KERNEL) ||
    ![x.pastK, x.pastV, x.k, x.vRows, x.smear?.prevRaw, x.smear?.gate].every(ok)
  )
    return plain(x);
  const inputs: tf.NamedTensorMap = { pastK: x.pastK, pastV: x.pastV, k: x.k, vRows: x.vRows };
  if (x.smear !== undefined) {
    inputs.prevRaw = x.smear.prevRaw;
    inputs.gate = x.smear.gate;
  }
  const [keys, values, lastRaw] = tf.engine().runKernel(KV_APPEND_KERNEL, inputs, {}) as tf.Tensor4D[];
  return { keys, values, lastRaw } as KvAppended;
}

/** The specification, exported for tests. */
export const kvAppendPlain = plain;
