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
import { type SimdExports, type SimdKernels, simdKernels } from "./simd/simd-kernels.js";
import { f32, type KernelArgs, matmulAt, offsetOf, transposeInto, type WasmBackend } from "./wasm-backend.js";

/** True when the SIMD module runs these shapes (GEMM widths T and hs multiples of 8). */
function simdFits(backend: WasmBackend, T: number, hs: number): boolean {
  return T % 8 === 0 && hs % 8 === 0 && simdKernels(backend) !== undefined;
}

/** Query rows per causal block: block i0 needs keys 0 .. i0 + rows only (a multiple of 8). */
const CAUSAL_BLOCK = 32;

/** C[M, N] (row stride cRow bytes) = A @ B on the SIMD GEMM, every operand by byte offset and strides. */
function gemm(
  k: SimdExports,
  M: number,
  N: number,
  K: number,
  a: number,
  aRow: number,
  aK: number,
  b: number,
  bK: number,
  bN: number,
  c: number,
  cRow: number,
  pack: number,
): void {
  // A^T here is at most a 32-column block of one head's [T, T] plane: read in place (packA 0)
  if (M > 0 && N > 0 && K > 0) k.gemm(M, N, K, a, aRow, aK, b, bK, bN, c, cRow, pack, 0);
}

/**
 * Forward on the SIMD module, per head and block of CAUSAL_BLOCK queries: s = q k^T over the keys
 * the block can see (k read transposed in place), causal softmax, y = P v over the same keys.
 */
function simdAttentionFwd(
  backend: WasmBackend,
  q: tf.TensorInfo,
  k: tf.TensorInfo,
  v: tf.TensorInfo,
): tf.TensorInfo[] {
  const simd = (simdKernels(backend) as SimdKernels).exports;
  const [BH, T, hs] = q.shape as [number, number, number];
  const y = backend.makeOutput([BH, T, hs], "float32");
  const probs = backend.makeOutput([BH, T, T], "float32");
  const pack = backend.makeOutput([T * Math.max(T, hs)], "float32"); // scratch
  const [qo, ko, vo, yo, po, pk] = [q, k, v, y, probs, pack].map((t) => offsetOf(backend, t)) as number[] as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const head = T * hs * 4;
  const row = hs * 4;
  const prow = T * 4;
  for (let b = 0; b < BH; b++) {
    for (let i0 = 0; i0 < T; i0 += CAUSAL_BLOCK) {
      const rows = Math.min(CAUSAL_BLOCK, T - i0);
      const keys = i0 + rows;
      // scores [rows, keys] = q[i0.., :] @ k[0..keys, :]^T
      gemm(
        simd,
        rows,
        keys,
        hs,
        qo + b * head + i0 * row,
        row,
        4,
        ko + b * head,
        4,
        row,
        po + b * T * prow + i0 * prow,
        prow,
        pk,
      );
    }
  }
  simd.attentionSoftmax(BH, T, po, 1 / Math.sqrt(hs)); // zeros beyond each row's keys
  for (let b = 0; b < BH; b++) {
    for (let i0 = 0; i0 < T; i0 += CAUSAL_BLOCK) {
      const rows = Math.min(CAUSAL_BLOCK, T - i0);
      const keys = i0 + rows;
      // y[i0.., :] = P[i0.., 0..keys] @ v[0..keys, :]
      gemm(
        simd,
        rows,
        hs,
        keys,
        po + b * T * prow + i0 * prow,
        prow,
        4,
        vo + b * head,
        row,
        4,
        yo + b * head + i0 * row,
        row,
        pk,
      );
    }
  }
  backend.disposeData(pack.dataId);
  return [y, probs];
}

/**
 * Backward on the SIMD module, by causal blocks: dv = P^T dy and dk = dS^T q over the queries
 * at or after each key block, dP = dy v^T and dq = dS k over the keys each query block sees;
 * dS = P (dP - rowsum(dP P)) scale in place (dP starts zeroed, so unseen keys stay 0).
 */
function simdAttentionBwd(backend: WasmBackend, inputs: Record<string, tf.TensorInfo>): tf.TensorInfo[] {
  const simd = (simdKernels(backend) as SimdKernels).exports;
  const { q, k, v, probs, dy } = inputs as {
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
  f32(backend, dP).fill(0);
  const pack = backend.makeOutput([T * Math.max(T, hs)], "float32"); // scratch
  const o = (t: tf.TensorInfo) => offsetOf(backend, t);
  const [qo, ko, vo, po, dyo, dqo, dko, dvo, dpo, pk] = [q, k, v, probs, dy, dq, dk, dv, dP, pack].map(
    o,
  ) as number[] as [number, number, number, number, number, number, number, number, number, number];
  const head = T * hs * 4;
  const row = hs * 4;
  const prow = T * 4;
  const plane = T * prow;
  for (let b = 0; b < BH; b++) {
    const h = b * head;
    const pp = b * plane;
    for (let j0 = 0; j0 < T; j0 += CAUSAL_BLOCK) {
      const rows = Math.min(CAUSAL_BLOCK, T - j0);
      const keys = j0 + rows;
      // dv[j0.., :] = P[j0.., j0..]^T @ dy[j0.., :] (queries i >= j0 see keys j0..)
      gemm(
        simd,
        rows,
        hs,
        T - j0,
        po + pp + j0 * prow + j0 * 4,
        4,
        prow,
        dyo + h + j0 * row,
        row,
        4,
        dvo + h + j0 * row,
        row,
        pk,
      );
      // dP[j0.., 0..keys] = dy[j0.., :] @ v[0..keys, :]^T
      gemm(simd, rows, keys, hs, dyo + h + j0 * row, row, 4, vo + h, 4, row, dpo + pp + j0 * prow, prow, pk);
    }
  }
  simd.attentionSoftmaxGrad(BH * T, T, po, dpo, 1 / Math.sqrt(hs));
  for (let b = 0; b < BH; b++) {
    const h = b * head;
    const pp = b * plane;
    for (let i0 = 0; i0 < T; i0 += CAUSAL_BLOCK) {
      const rows = Math.min(CAUSAL_BLOCK, T - i0);
      const keys = i0 + rows;
      // dq[i0.., :] = dS[i0.., 0..keys] @ k[0..keys, :]
      gemm(simd, rows, hs, keys, dpo + pp + i0 * prow, prow, 4, ko + h, row, 4, dqo + h + i0 * row, row, pk);
      // dk[i0.., :] = dS[i0.., i0..]^T @ q[i0.., :]
      gemm(
        simd,
        rows,
        hs,
        T - i0,
        dpo + pp + i0 * prow + i0 * 4,
        4,
        prow,
        qo + h + i0 * row,
        row,
        4,
        dko + h + i0 * row,
        row,
        pk,
      );
    }
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
