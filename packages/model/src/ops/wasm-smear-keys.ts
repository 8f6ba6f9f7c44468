/**
 * Smeared-keys kernels for tfjs-backend-wasm (the op and its specification: smear-keys.ts), as
 * JS loops over the heap. "LlmSmearKeys": k [B, nh, T, hs], gate logits [1, nh] -> k' with
 * k'[t] = g k[t] + (1-g) k[t-1] (k[-1] = 0), g = sigmoid(logit). "LlmSmearKeysGrad": dy, k, gate
 * -> dk (dk[t] = g dy[t] + (1-g) dy[t+1]) and dgate [1, nh] (g (1-g) sum over b, t, j of
 * dy[t] (k[t] - k[t-1])). Reference: autodiff of the plain op. Leaves out: other dtypes.
 */
import type * as tf from "@tensorflow/tfjs-core";
import { f32, type KernelArgs, type WasmBackend } from "./wasm-backend.js";

export const SMEAR_KEYS_KERNEL = "LlmSmearKeys";
export const SMEAR_KEYS_GRAD_KERNEL = "LlmSmearKeysGrad";

/** sigmoid of each head's gate logit, rounded to float32 as tf.sigmoid gives it. */
function gates(logits: Float32Array, nh: number): Float32Array {
  const g = new Float32Array(nh);
  for (let h = 0; h < nh; h++) g[h] = 1 / (1 + Math.exp(-(logits[h] as number)));
  return g;
}

export function wasmSmearKeys(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { k, gate } = args.inputs as { k: tf.TensorInfo; gate: tf.TensorInfo };
  const [B, nh, T, hs] = k.shape as [number, number, number, number];
  const out = backend.makeOutput([B, nh, T, hs], "float32");
  const ks = f32(backend, k);
  const ys = f32(backend, out);
  const g = gates(f32(backend, gate), nh);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < nh; h++) {
      const gh = g[h] as number;
      const rest = Math.fround(1 - gh);
      const base = (b * nh + h) * T * hs;
      for (let j = 0; j < hs; j++) ys[base + j] = gh * (ks[base + j] as number);
      for (let i = base + hs; i < base + T * hs; i++)
        ys[i] = gh * (ks[i] as number) + rest * (ks[i - hs] as number);
    }
  }
  return out;
}

export function wasmSmearKeysGrad(args: KernelArgs): tf.TensorInfo[] {
  const backend = args.backend as WasmBackend;
  const { dy, k, gate } = args.inputs as { dy: tf.TensorInfo; k: tf.TensorInfo; gate: tf.TensorInfo };
  const [B, nh, T, hs] = k.shape as [number, number, number, number];
  const dk = backend.makeOutput([B, nh, T, hs], "float32");
  const dgate = backend.makeOutput([1, nh], "float32");
  const ks = f32(backend, k);
  const d = f32(backend, dy);
  const out = f32(backend, dk);
  const g = gates(f32(backend, gate), nh);
  const sums = new Float64Array(nh);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < nh; h++) {
      const gh = g[h] as number;
      const rest = Math.fround(1 - gh);
      const base = (b * nh + h) * T * hs;
      const last = base + (T - 1) * hs;
      let s = 0;
      for (let i = base; i < last; i++) {
        const di = d[i] as number;
        out[i] = gh * di + rest * (d[i + hs] as number);
        s += di * ((ks[i] as number) - (i - hs >= base ? (ks[i - hs] as number) : 0));
      }
      for (let i = last; i < last + hs; i++) {
        const di = d[i] as number;
        out[i] = gh * di;
        s += di * ((ks[i] as number) - (i - hs >= base ? (ks[i - hs] as number) : 0));
      }
      sums[h] = (sums[h] as number) + s;
    }
  }
  const dg = f32(backend, dgate);
  for (let h = 0; h < nh; h++) {
    const gh = g[h] as number;
    dg[h] = gh * (1 - gh) * (sums[h] as number);
  }
  return [dk, dgate];
}
