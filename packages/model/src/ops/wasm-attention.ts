/**
 * Causal self-attention kernels for tfjs-backend-wasm. The stock path runs [B*nh] batched
 * matmuls on a naive loop (~1.6 GFLOP/s); here every head's product is a 2-D untransposed
 * XNNPACK call on slices of the heap (transposes done by a blocked JS loop), and the scale,
 * causal mask and softmax (and their backward) are fused JS loops. With our SIMD module (simd/,
 * T and hs multiples of 8) the products run on its strided GEMM (no transposes) and the softmax
 * and its backward are vectorised there. Reference: nanoGPT's
 * attention, FlashAttention's backward formulas (dS = P * (dP - rowsum(dP * P))). Leaves out:
 * queries shorter than keys (KV cache: the op falls back to plain tf ops), dropout.
 *
 * "LlmAttentionFwd": q, k, v [BH, T, hs] -> y [BH, T, hs], probs [BH, T, T].
 * "LlmAttentionBwd": q, k, v, probs, dy -> dq, dk, dv [BH, T, hs].
 */
import type * as tf from "@tensorflow/tfjs-core";
import { fastExp } from "./fast-math.js";
import { simdKernels } from "./simd/simd-kernels.js";
import { f32, type KernelArgs, matmulAt, offsetOf, transposeInto, type WasmBackend } from "./wasm-backend.js";
import { gemmAt } from "./wasm-matmul.js";

/** True when the SIMD module runs these shapes (GEMM widths T and hs multiples of 8). */
function simdFits(backend: WasmBackend, T: number, hs: number): boolean {
  return T % 8 === 0 && hs % 8 === 0 && simdKernels(backend) !== undefined;
}

/** Forward on the SIMD module: per head s = q k^T (k read transposed in place), softmax, P v. */
function simdAttentionFwd(
  backend: WasmBackend,
  q: tf.TensorInfo,
  k: tf.TensorInfo,
  v: tf.TensorInfo,
): tf.TensorInfo[] {
  const [BH, T, hs] = q.shape as [number, number, number];
  const y = backend.makeOutput([BH, T, hs], "float32");
  const probs = backend.makeOutput([BH, T, T], "float32");
  const pack = backend.makeOutput([T * Math.max(T, hs)], "float32"); // scratch
  const [qo, ko, vo, yo, po, pk] = [q, k, v, y, probs, pack].map((t) => offsetOf(backend, t)) as number[];
  const headBytes = T * hs * 4;
  const probBytes = T * T * 4;
  for (let b = 0; b < BH; b++) {
    gemmAt(
      backend,
      T,
      hs,
      T,
      (qo as number) + b * headBytes,
      false,
      (ko as number) + b * headBytes,
      true,
      (po as number) + b * probBytes,
      pk as number,
    ); // [T, T]
  }
  (simdKernels(backend) as NonNullable<ReturnType<typeof simdKernels>>).exports.attentionSoftmax(
    BH,
    T,
    po as number,
    1 / Math.sqrt(hs),
  );
  for (let b = 0; b < BH; b++) {
    gemmAt(
      backend,
      T,
      T,
      hs,
      (po as number) + b * probBytes,
      false,
      (vo as number) + b * headBytes,
      false,
      (yo as number) + b * headBytes,
      pk as number,
    ); // [T, hs]
  }
  backend.disposeData(pack.dataId);
  return [y, probs];
}

/** Backward on the SIMD module: dv = P^T dy, dP = dy v^T, dS (in place), dq = dS k, dk = dS^T q. */
function simdAttentionBwd(backend: WasmBackend, inputs: Record<string, tf.TensorInfo>): tf.TensorInfo[] {
  const { q, k, v, probs, dy } = inputs as Record<string, tf.TensorInfo> as {
    q: tf.TensorInfo;
    k: tf.TensorInfo;
    v: tf.TensorInfo;
    probs: tf.TensorInfo;
    dy: tf.TensorInfo;
  };
  const [BH, T, hs] = q.shape as [number, number, number];
  const dq = backend.makeOutput([BH, T, hs], "float32");
  const dk = backend.makeOutput([BH, T, hs], "float32");
  const dv = backend.makeOutput([BH, T, hs], "float32");
  const dP = backend.makeOutput([BH, T, T], "float32"); // scratch: dP, then dS
  const pack = backend.makeOutput([T * Math.max(T, hs)], "float32"); // scratch
  const o = (t: tf.TensorInfo) => offsetOf(backend, t);
  const [qo, ko, vo, po, dyo, dqo, dko, dvo, dpo, pk] = [q, k, v, probs, dy, dq, dk, dv, dP, pack].map(
    o,
  ) as number[];
  const headBytes = T * hs * 4;
  const probBytes = T * T * 4;
  for (let b = 0; b < BH; b++) {
    const h = b * headBytes;
    const pp = b * probBytes;
    gemmAt(
      backend,
      T,
      T,
      hs,
      (po as number) + pp,
      true,
      (dyo as number) + h,
      false,
      (dvo as number) + h,
      pk as number,
    ); // dv = P^T dy
    gemmAt(
      backend,
      T,
      hs,
      T,
      (dyo as number) + h,
      false,
      (vo as number) + h,
      true,
      (dpo as number) + pp,
      pk as number,
    ); // dP = dy v^T
  }
  (simdKernels(backend) as NonNullable<ReturnType<typeof simdKernels>>).exports.attentionSoftmaxGrad(
    BH * T,
    T,
    po as number,
    dpo as number,
    1 / Math.sqrt(hs),
  );
  for (let b = 0; b < BH; b++) {
    const h = b * headBytes;
    const pp = b * probBytes;
    gemmAt(
      backend,
      T,
      T,
      hs,
      (dpo as number) + pp,
      false,
      (ko as number) + h,
      false,
      (dqo as number) + h,
      pk as number,
    ); // dq = dS k
    gemmAt(
      backend,
      T,
      T,
      hs,
      (dpo as number) + pp,
      true,
      (qo as number) + h,
      false,
      (dko as number) + h,
      pk as number,
    ); // dk = dS^T q
  }
  backend.disposeData(dP.dataId);
  backend.disposeData(pack.dataId);
  return [dq, dk, dv];
}

export const ATTENTION_FWD_KERNEL = "LlmAttentionFwd";
export const ATTENTION_BWD_KERNEL = "LlmAttentionBwd";

export function wasmAttentionFwd(args: KernelArgs): tf.TensorInfo[] {
  const backend = args.backend as WasmBackend;
  const { q, k, v } = args.inputs as { q: tf.TensorInfo; k: tf.TensorInfo; v: tf.TensorInfo };
  const [BH, T, hs] = q.shape as [number, number, number];
  if (simdFits(backend, T, hs)) return simdAttentionFwd(backend, q, k, v);
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
  if (simdFits(backend, T, hs))
    return simdAttentionBwd(backend, args.inputs as Record<string, tf.TensorInfo>);
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
