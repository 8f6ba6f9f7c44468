/**
 * KV-cache append kernel for tfjs-backend-wasm (the op and its specification: kv-append.ts), one
 * JS pass over the heap. "LlmKvAppend": pastK, pastV [B, nh, Tp, hs] (keys already smeared),
 * k [B, nh, T, hs] (raw, rotated and normed), vRows [B*T, nh*hs] (the value projection, rows in
 * [B, T, nh, hs] order), and for smeared keys prevRaw [B, nh, 1, hs] (the cache's last raw key)
 * and gate logits [1, nh] -> keys, values [B, nh, Tp + T, hs] and lastRaw [B, nh, 1, hs]. The
 * smear is the LlmSmearKeys formula (g k[t] + (1-g) k[t-1] in double, rounded once to float32),
 * so the result is bit-identical to concat + smear + slice + transpose + concat in tf ops.
 * Reference: nanochat's KVCache.insert_kv. Leaves out: gradients (inference only), other dtypes.
 */
import type * as tf from "@tensorflow/tfjs-core";
import { f32, type KernelArgs, type WasmBackend } from "./wasm-backend.js";

export const KV_APPEND_KERNEL = "LlmKvAppend";

export function wasmKvAppend(args: KernelArgs): tf.TensorInfo[] {
  const backend = args.backend as WasmBackend;
  const { pastK, pastV, k, vRows, prevRaw, gate } = args.inputs as Record<string, tf.TensorInfo>;
  const [B, nh, Tp, hs] = (pastK as tf.TensorInfo).shape as [number, number, number, number];
  const T = (k as tf.TensorInfo).shape[2] as number;
  const Tk = Tp + T;
  const keys = backend.makeOutput([B, nh, Tk, hs], "float32");
  const values = backend.makeOutput([B, nh, Tk, hs], "float32");
  const lastRaw = backend.makeOutput([B, nh, 1, hs], "float32");
  const pk = f32(backend, pastK as tf.TensorInfo);
  const pv = f32(backend, pastV as tf.TensorInfo);
  const ks = f32(backend, k as tf.TensorInfo);
  const vr = f32(backend, vRows as tf.TensorInfo);
  const ko = f32(backend, keys);
  const vo = f32(backend, values);
  const lo = f32(backend, lastRaw);
  const prev = prevRaw === undefined ? undefined : f32(backend, prevRaw);
  const logits = gate === undefined ? undefined : f32(backend, gate);
  const C = nh * hs;
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < nh; h++) {
      const bh = b * nh + h;
      ko.set(pk.subarray(bh * Tp * hs, (bh + 1) * Tp * hs), bh * Tk * hs);
      vo.set(pv.subarray(bh * Tp * hs, (bh + 1) * Tp * hs), bh * Tk * hs);
      const src = bh * T * hs; // k[b, h, 0, :]
      const dst = (bh * Tk + Tp) * hs; // keys[b, h, Tp, :]
      if (logits !== undefined && prev !== undefined) {
        // the gate exactly as wasm-smear-keys.ts computes it
        const gh = Math.fround(1 / (1 + Math.exp(-(logits[h] as number))));
        const rest = Math.fround(1 - gh);
        for (let j = 0; j < hs; j++)
          ko[dst + j] = gh * (ks[src + j] as number) + rest * (prev[bh * hs + j] as number);
        for (let i = hs; i < T * hs; i++)
          ko[dst + i] = gh * (ks[src + i] as number) + rest * (ks[src + i - hs] as number);
      } else {
        ko.set(ks.subarray(src, src + T * hs), dst);
      }
      lo.set(ks.subarray(src + (T - 1) * hs, src + T * hs), bh * hs);
      for (let t = 0; t < T; t++) {
        const from = (b * T + t) * C + h * hs;
        vo.set(vr.subarray(from, from + hs), (bh * Tk + Tp + t) * hs);
      }
    }
  }
  return [keys, values, lastRaw];
}
