/**
 * Causal self-attention kernels for tfjs-backend-wasm. The stock path runs [B*nh] batched
 * matmuls on a naive loop (~1.6 GFLOP/s); here every head's product is a 2-D untransposed
 * XNNPACK call on slices of the heap (transposes done by a blocked JS loop), and the scale,
 * causal mask and softmax (and their backward) are fused JS loops. Reference: nanoGPT's
 * attention, FlashAttention's backward formulas (dS = P * (dP - rowsum(dP * P))). Leaves out:
 * queries shorter than keys (KV cache: the op falls back to plain tf ops), dropout.
 *
 * "LlmAttentionFwd": q, k, v [BH, T, hs] -> y [BH, T, hs], probs [BH, T, T].
 * "LlmAttentionBwd": q, k, v, probs, dy -> dq, dk, dv [BH, T, hs].
 */
import type * as tf from "@tensorflow/tfjs-core";
import { fastExp } from "./fast-math.js";
import { f32, type KernelArgs, matmulAt, offsetOf, transposeInto, type WasmBackend } from "./wasm-backend.js";

export const ATTENTION_FWD_KERNEL = "LlmAttentionFwd";
export const ATTENTION_BWD_KERNEL = "LlmAttentionBwd";

export function wasmAttentionFwd(args: KernelArgs): tf.TensorInfo[] {
  const backend = args.backend as WasmBackend;
  const { q, k, v } = args.inputs as { q: tf.TensorInfo; k: tf.TensorInfo; v: tf.TensorInfo };
  const [BH, T, hs] = q.shape as [number, number, number];
  const scale = 1 / Math.sqrt(hs);
  const y = backend.makeOutput([BH, T, hs], "float32");
  const probs = backend.makeOutput([BH, T, T], "float32");
  const kT = backend.makeOutput([BH, hs, T], "float32"); // scratch
  transposeInto(f32(backend, k), 0, f32(backend, kT), 0, BH, T, hs);
  const qOff = offsetOf(backend, q);
  const vOff = offsetOf(backend, v);
  const yOff = offsetOf(backend, y);
  const pOff = offsetOf(backend, probs);
  const kTOff = offsetOf(backend, kT);
  const headBytes = T * hs * 4;
  const probBytes = T * T * 4;
  for (let b = 0; b < BH; b++) {
    matmulAt(backend, qOff + b * headBytes, T, hs, kTOff + b * headBytes, T, pOff + b * probBytes); // [T, T]
  }
  const p = f32(backend, probs);
  for (let row = 0; row < BH * T; row++) {
    const i = row % T; // query position: keys 0..i are visible
    const o = row * T;
    let m = Number.NEGATIVE_INFINITY;
    for (let j = 0; j <= i; j++) {
      const s = (p[o + j] as number) * scale;
      p[o + j] = s;
      if (s > m) m = s;
    }
    let sum = 0;
    for (let j = 0; j <= i; j++) {
      const e = fastExp((p[o + j] as number) - m);
      p[o + j] = e;
      sum += e;
    }
    const inv = 1 / sum;
    for (let j = 0; j <= i; j++) p[o + j] = (p[o + j] as number) * inv;
    for (let j = i + 1; j < T; j++) p[o + j] = 0;
  }
  for (let b = 0; b < BH; b++) {
    matmulAt(backend, pOff + b * probBytes, T, T, vOff + b * headBytes, hs, yOff + b * headBytes); // [T, hs]
  }
  backend.disposeData(kT.dataId);
  return [y, probs];
}

export function wasmAttentionBwd(args: KernelArgs): tf.TensorInfo[] {
  const backend = args.backend as WasmBackend;
  const { q, k, v, probs, dy } = args.inputs as Record<string, tf.TensorInfo>;
  const [BH, T, hs] = (q as tf.TensorInfo).shape as [number, number, number];
  const scale = 1 / Math.sqrt(hs);
  const dq = backend.makeOutput([BH, T, hs], "float32");
  const dk = backend.makeOutput([BH, T, hs], "float32");
  const dv = backend.makeOutput([BH, T, hs], "float32");
  const vT = backend.makeOutput([BH, hs, T], "float32"); // scratch
  const dP = backend.makeOutput([BH, T, T], "float32"); // scratch: dP, then dS
  const tT = backend.makeOutput([BH, T, T], "float32"); // scratch: P^T, then dS^T
  transposeInto(f32(backend, v as tf.TensorInfo), 0, f32(backend, vT), 0, BH, T, hs);
  transposeInto(f32(backend, probs as tf.TensorInfo), 0, f32(backend, tT), 0, BH, T, T);
  const off = (t: tf.TensorInfo) => offsetOf(backend, t);
  const headBytes = T * hs * 4;
  const probBytes = T * T * 4;
  for (let b = 0; b < BH; b++) {
    const h = b * headBytes;
    const pp = b * probBytes;
    matmulAt(backend, off(tT) + pp, T, T, off(dy as tf.TensorInfo) + h, hs, off(dv) + h); // dv = P^T dy
    matmulAt(backend, off(dy as tf.TensorInfo) + h, T, hs, off(vT) + h, T, off(dP) + pp); // dP = dy v^T
  }
  const p = f32(backend, probs as tf.TensorInfo);
  const d = f32(backend, dP);
  const dT = f32(backend, tT);
  for (let b = 0; b < BH; b++) {
    const base = b * T * T;
    for (let i = 0; i < T; i++) {
      const o = base + i * T;
      let dot = 0;
      for (let j = 0; j <= i; j++) dot += (d[o + j] as number) * (p[o + j] as number);
      for (let j = 0; j <= i; j++) {
        const s = (p[o + j] as number) * ((d[o + j] as number) - dot) * scale;
        d[o + j] = s;
        dT[base + j * T + i] = s;
      }
      for (let j = i + 1; j < T; j++) {
        d[o + j] = 0;
        dT[base + j * T + i] = 0;
      }
    }
  }
  for (let b = 0; b < BH; b++) {
    const h = b * headBytes;
    const pp = b * probBytes;
    matmulAt(backend, off(dP) + pp, T, T, off(k as tf.TensorInfo) + h, hs, off(dq) + h); // dq = dS k
    matmulAt(backend, off(tT) + pp, T, T, off(q as tf.TensorInfo) + h, hs, off(dk) + h); // dk = dS^T q
  }
  backend.disposeData(vT.dataId);
  backend.disposeData(dP.dataId);
  backend.disposeData(tT.dataId);
  return [dq, dk, dv];
}
