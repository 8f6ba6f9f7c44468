/**
 * "LlmMatMul" for tfjs-backend-wasm: c = op(a) @ op(b) for 2-D float32 tensors, op = optional
 * transpose, on our SIMD GEMM (simd/simd-kernels-source.ts: fused multiply-add with relaxed
 * SIMD, strided operands so no transpose is materialised). The linear layer's forward and both
 * gradient products run here. Reference: BLAS sgemm's transA/transB. Leaves out: batched
 * products, output widths that are not a multiple of 8 (the caller uses tf.matMul then; see
 * `simdMatMulFits`).
 *
 * Inputs a, b; attrs { transposeA, transposeB }. Output [M, N].
 */
import type * as tf from "@tensorflow/tfjs-core";
import { simdKernels } from "./simd/simd-kernels.js";
import { type KernelArgs, offsetOf, type WasmBackend } from "./wasm-backend.js";

export const MATMUL_KERNEL = "LlmMatMul";

/** [M, K, N] of op(a) @ op(b). */
export function matMulDims(
  aShape: readonly number[],
  bShape: readonly number[],
  transposeA: boolean,
  transposeB: boolean,
): [number, number, number] {
  const [a0, a1] = aShape as [number, number];
  const [b0, b1] = bShape as [number, number];
  return [transposeA ? a1 : a0, transposeA ? a0 : a1, transposeB ? b0 : b1];
}

/** True when the SIMD GEMM takes this product (2-D, N a multiple of 8). */
export function simdMatMulFits(N: number): boolean {
  return N % 8 === 0 && N > 0;
}

/**
 * c = op(a) @ op(b) on heap byte offsets; a is [M, K] (or [K, M] when transposed), b is [K, N]
 * (or [N, K]); pack is scratch of K * N floats, and K * (N + M) when a is transposed (A^T is
 * packed after B: see gemmPackFloats).
 */
/** Floats of scratch gemmAt needs: B's panels, and A's when A is transposed. */
export function gemmPackFloats(M: number, K: number, N: number, transposeA: boolean): number {
  return K * N + (transposeA ? K * M : 0);
}

export function gemmAt(
  backend: WasmBackend,
  M: number,
  K: number,
  N: number,
  aOff: number,
  transposeA: boolean,
  bOff: number,
  transposeB: boolean,
  cOff: number,
  packOff: number,
): void {
  const k = simdKernels(backend);
  if (k === undefined) throw new Error("SIMD kernels unavailable on this backend");
  k.exports.gemm(
    M,
    N,
    K,
    aOff,
    transposeA ? 4 : K * 4,
    transposeA ? M * 4 : 4,
    bOff,
    transposeB ? 4 : N * 4,
    transposeB ? K * 4 : 4,
    cOff,
    N * 4,
    packOff,
    transposeA ? packOff + K * N * 4 : 0,
  );
}

export function wasmMatMul(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const { transposeA, transposeB } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
  const [M, K, N] = matMulDims(a.shape, b.shape, transposeA, transposeB);
  const out = backend.makeOutput([M, N], "float32");
  if (M === 0 || K === 0) {
    backend.typedArrayFromHeap(out).fill(0);
    return out;
  }
  const pack = backend.makeOutput([gemmPackFloats(M, K, N, transposeA)], "float32"); // scratch
  gemmAt(
    backend,
    M,
    K,
    N,
    offsetOf(backend, a),
    transposeA,
    offsetOf(backend, b),
    transposeB,
    offsetOf(backend, out),
    offsetOf(backend, pack),
  );
  backend.disposeData(pack.dataId);
  return out;
}
