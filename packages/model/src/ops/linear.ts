/**
 * linear: x @ w for 2-D x [N, in] and w [in, out], no bias (nanochat has none). The gradient is
 * written by hand: dx = dy @ w^T and dw = x^T @ dy. On wasm all three products run on our SIMD
 * GEMM ("LlmMatMul", transposed operands read in place); where it cannot run (no SIMD module,
 * an output width that is not a multiple of 8) the products are 2-D untransposed tf.matMul calls
 * with the transposes materialised, which tfjs-backend-wasm runs on XNNPACK. Reference:
 * nanoGPT's nn.Linear(bias=False), stored as [in, out]. `linearTransposed(x, w)` is x @ w^T for
 * w [out, in] (a tied head: the embedding table read transposed in place, dx = dy @ w, dw =
 * dy^T @ x), so no transpose of the table is materialised either way. Leaves out: bias, batched
 * inputs (fold leading dims into rows first: the tfjs broadcast-matmul gradient bug, facts.md).
 */
import * as tf from "@tensorflow/tfjs-core";
import { customOp } from "./custom-op.js";
import { onWasm } from "./register-wasm-kernels.js";
import { simdKernels } from "./simd/simd-kernels.js";
import type { WasmBackend } from "./wasm-backend.js";
import { MATMUL_KERNEL, matMulDims, simdMatMulFits } from "./wasm-matmul.js";

/** True when products on the active backend can run on the SIMD GEMM. */
export function onSimdGemm(): boolean {
  return onWasm() && simdKernels(tf.backend() as unknown as WasmBackend) !== undefined;
}

/**
 * Below this many rows an untransposed product goes to XNNPACK, which keeps its packed copy of
 * an unchanged weight between calls (generation's few-row products); our GEMM packs B per call.
 */
const MIN_GEMM_ROWS = 32;

/** op(a) @ op(b) for 2-D float32 tensors, on the SIMD GEMM when it fits, else tf.matMul. */
export function matMul2d(
  a: tf.Tensor2D,
  b: tf.Tensor2D,
  transposeA = false,
  transposeB = false,
): tf.Tensor2D {
  const [M, , N] = matMulDims(a.shape, b.shape, transposeA, transposeB);
  const fewRows = M < MIN_GEMM_ROWS && !transposeA && !transposeB;
  if (!fewRows && simdMatMulFits(N) && a.dtype === "float32" && b.dtype === "float32" && onSimdGemm()) {
    return tf.engine().runKernel(MATMUL_KERNEL, { a, b }, { transposeA, transposeB }) as tf.Tensor2D;
  }
  return tf.tidy(() => {
    const left = transposeA ? tf.transpose(a) : a; // [M, K]
    const right = transposeB ? tf.transpose(b) : b; // [K, N]
    return tf.matMul(left, right);
  });
}

const linearOp = customOp((x: tf.Tensor, w: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    value: matMul2d(x as tf.Tensor2D, w as tf.Tensor2D), // [N, out]
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      const dx = matMul2d(dy as tf.Tensor2D, ws, false, true); // [N, out] @ [out, in]
      const dw = matMul2d(xs, dy as tf.Tensor2D, true, false); // [in, N] @ [N, out]
      return [dx, dw];
    },
  };
});

export function linear(x: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  return linearOp(x, w) as tf.Tensor2D;
}

const linearTransposedOp = customOp((x: tf.Tensor, w: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    value: matMul2d(x as tf.Tensor2D, w as tf.Tensor2D, false, true), // [N, in] @ [in, out]
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      const dx = matMul2d(dy as tf.Tensor2D, ws); // [N, out] @ [out, in]
      const dw = matMul2d(dy as tf.Tensor2D, xs, true, false); // [out, N] @ [N, in]
      return [dx, dw];
    },
  };
});

/** x [N, in] @ w^T for w [out, in] -> [N, out]. */
export function linearTransposed(x: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  return linearTransposedOp(x, w) as tf.Tensor2D;
}
