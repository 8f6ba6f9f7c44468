/**
 * Fused (optionally softcapped) softmax cross-entropy kernel for tfjs-backend-wasm: one pass
 * per row gives the weighted loss and its gradient with respect to the raw logits, so neither
 * tanh, log-softmax nor a one-hot matrix is materialised by separate kernels (those take
 * ~100 ms each on [1024, 4096] on wasm). Reference: llm.c's fused classifier. Leaves out:
 * label smoothing, ignore_index (use a 0 weight).
 *
 * Kernel "LlmSoftmaxCrossEntropy": inputs logits [N, V] f32, targets [N] i32, weights [N] f32;
 * attrs { cap } (0 = no softcap). Outputs: loss [] = sum_n w_n * CE_n, and grad [N, V] = dLoss/dlogits.
 * With our SIMD module (simd/) and V a multiple of 4 the rows run there (vector exp and tanh);
 * only the per-row log of the loss stays in JS.
 *
 * Kernel "LlmTargetLogProbs" (the same SIMD rows, weights -1, no cap): logits [N, V] f32 (V a
 * multiple of 4), targets [N] i32 -> logp [N] = log softmax(logits)[target] and grad [N, V] =
 * d logp / d logits = onehot - softmax, which the op's gradient scales by dy per row.
 */
import type * as tf from "@tensorflow/tfjs-core";
import { fastExp, fastTanh } from "./fast-math.js";
import { simdKernels } from "./simd/simd-kernels.js";
import { f32, i32, type KernelArgs, offsetOf, type WasmBackend } from "./wasm-backend.js";

export const SOFTMAX_CE_KERNEL = "LlmSoftmaxCrossEntropy";

let scratch = new Float32Array(0);

export function wasmSoftmaxCrossEntropy(args: KernelArgs): tf.TensorInfo[] {
  const backend = args.backend as WasmBackend;
  const logits = args.inputs.logits as tf.TensorInfo;
  const targets = args.inputs.targets as tf.TensorInfo;
  const weights = args.inputs.weights as tf.TensorInfo;
  const cap = (args.attrs as { cap: number }).cap;
  const [N, V] = logits.shape as [number, number];
  const lossOut = backend.makeOutput([], "float32");
  const gradOut = backend.makeOutput([N, V], "float32");
  const simd = V % 4 === 0 ? simdKernels(backend) : undefined;
  if (simd !== undefined) {
    const e = backend.makeOutput([V], "float32"); // scratch
    const stats = backend.makeOutput([N * 3], "float32"); // (max, sum, z[target]) per row
    simd.exports.softmaxCrossEntropy(
      N,
      V,
      offsetOf(backend, logits),
      offsetOf(backend, targets),
      offsetOf(backend, weights),
      offsetOf(backend, gradOut),
      offsetOf(backend, e),
      offsetOf(backend, stats),
      cap,
    );
    const st = f32(backend, stats);
    const w = f32(backend, weights);
    let loss = 0;
    for (let n = 0; n < N; n++) {
      const wn = w[n] as number;
      if (wn !== 0)
        loss += wn * ((st[3 * n] as number) + Math.log(st[3 * n + 1] as number) - (st[3 * n + 2] as number));
    }
    f32(backend, lossOut)[0] = loss;
    backend.disposeData(e.dataId);
    backend.disposeData(stats.dataId);
    return [lossOut, gradOut];
  }
  const x = f32(backend, logits);
  const t = i32(backend, targets);
  const w = f32(backend, weights);
  const g = f32(backend, gradOut);
  if (scratch.length < V) scratch = new Float32Array(V);
  const e = scratch;
  let loss = 0;
  const invCap = cap > 0 ? 1 / cap : 0;
  for (let n = 0; n < N; n++) {
    const o = n * V;
    const wn = w[n] as number;
    const target = t[n] as number;
    // pass 1: (softcapped) logits into g, row max
    let m = Number.NEGATIVE_INFINITY;
    if (cap > 0) {
      for (let j = 0; j < V; j++) {
        const c = cap * fastTanh((x[o + j] as number) * invCap);
        g[o + j] = c;
        if (c > m) m = c;
      }
    } else {
      for (let j = 0; j < V; j++) {
        const c = x[o + j] as number;
        g[o + j] = c;
        if (c > m) m = c;
      }
    }
    // pass 2: exponentials and their sum
    let s = 0;
    for (let j = 0; j < V; j++) {
      const ej = fastExp((g[o + j] as number) - m);
      e[j] = ej;
      s += ej;
    }
    const lse = m + Math.log(s);
    const ct = g[o + target] as number;
    loss += wn * (lse - ct);
    // pass 3: gradient (softmax - onehot) * w, through the softcap: d(c)/dx = 1 - (c/cap)^2
    const inv = wn / s;
    if (cap > 0) {
      for (let j = 0; j < V; j++) {
        const c = (g[o + j] as number) * invCap;
        g[o + j] = (e[j] as number) * inv * (1 - c * c);
      }
      const th = ct * invCap;
      g[o + target] = (g[o + target] as number) - wn * (1 - th * th);
    } else {
      for (let j = 0; j < V; j++) g[o + j] = (e[j] as number) * inv;
      g[o + target] = (g[o + target] as number) - wn;
    }
  }
  f32(backend, lossOut)[0] = loss;
  return [lossOut, gradOut];
}

export const TARGET_LOG_PROBS_KERNEL = "LlmTargetLogProbs";

/** True when LlmTargetLogProbs runs for rows of V logits on this backend (the SIMD module loaded). */
export function targetLogProbsFits(backend: WasmBackend, V: number): boolean {
  return V > 0 && V % 4 === 0 && simdKernels(backend) !== undefined;
}

export function wasmTargetLogProbs(args: KernelArgs): tf.TensorInfo[] {
  const backend = args.backend as WasmBackend;
  const logits = args.inputs.logits as tf.TensorInfo;
  const targets = args.inputs.targets as tf.TensorInfo;
  const [N, V] = logits.shape as [number, number];
  const simd = simdKernels(backend);
  if (simd === undefined || V % 4 !== 0)
    throw new Error("LlmTargetLogProbs needs the SIMD module and V % 4 = 0");
  const logp = backend.makeOutput([N], "float32");
  const grad = backend.makeOutput([N, V], "float32");
  const weights = backend.makeOutput([N], "float32"); // scratch: -1 per row
  const e = backend.makeOutput([V], "float32"); // scratch
  const stats = backend.makeOutput([N * 3], "float32"); // (max, sum, z[target]) per row
  f32(backend, weights).fill(-1);
  simd.exports.softmaxCrossEntropy(
    N,
    V,
    offsetOf(backend, logits),
    offsetOf(backend, targets),
    offsetOf(backend, weights),
    offsetOf(backend, grad),
    offsetOf(backend, e),
    offsetOf(backend, stats),
    0,
  );
  const st = f32(backend, stats);
  const out = f32(backend, logp);
  for (let n = 0; n < N; n++)
    out[n] = (st[3 * n + 2] as number) - (st[3 * n] as number) - Math.log(st[3 * n + 1] as number);
  backend.disposeData(weights.dataId);
  backend.disposeData(e.dataId);
  backend.disposeData(stats.dataId);
  return [logp, grad];
}
