/**
 * Causal self-attention kernels for tfjs-backend-webgpu, registered under the wasm kernels'
 * names and contracts (ops/wasm-attention.ts): "LlmAttentionFwd" q, k, v [BH, T, hs] -> y, probs
 * [BH, T, T]; "LlmAttentionBwd" q, k, v, probs, dy -> dq, dk, dv. Each is a few WGSL programs
 * that visit only the causal half: scores + scale + mask + softmax in one workgroup per query
 * row, then P·V; backward dV = Pᵀ·dY, dS = P ∘ (dY·Vᵀ − rowsum(dY·Vᵀ ∘ P)) · scale (one
 * workgroup per row), dQ = dS·K, dK = dSᵀ·Q. Reference: FlashAttention's backward formulas
 * (Dao et al. 2022). Leaves out: tiling through workgroup memory and online softmax (the scores
 * are materialised as probs, as on wasm), queries shorter than keys (the plain path runs).
 */
import type * as tf from "@tensorflow/tfjs-core";
import {
  LANES,
  llmProgram,
  reduceSnippet,
  runProgram,
  type Uniform,
  WORKGROUP_INDEX,
} from "./webgpu-program.js";

interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
}

const DECLS = `var<workgroup> red: array<f32, ${LANES}>;`;
const SIZES = `let BH = uniforms.bh; let T = uniforms.seqLen; let HS = uniforms.hs; let SCALE = uniforms.scale;`;

function sizes(BH: number, T: number, hs: number): Uniform[] {
  return [
    ["bh", "i32", BH],
    ["seqLen", "i32", T],
    ["hs", "i32", hs],
    ["scale", "f32", 1 / Math.sqrt(hs)],
  ];
}

/** probs [BH, T, T]: softmax over j <= i of scale * q_i·k_j, zeros above the diagonal. */
function probsProgram(u: Uniform[], shape: number[]) {
  return llmProgram(
    "llmAttnProbs",
    ["q", "k"],
    shape,
    (shape[0] as number) * (shape[1] as number),
    u,
    DECLS,
    `${SIZES}
  ${WORKGROUP_INDEX}
  let lane = i32(localId.x);
  let valid = wg < BH * T;
  let r = min(wg, BH * T - 1);
  let i = r % T;
  let kBase = (r / T) * T * HS;
  var m = -3.402823e38;
  for (var j = lane; j <= i; j += ${LANES}) {
    var s = 0.0;
    for (var d = 0; d < HS; d++) { s += q[r * HS + d] * k[kBase + j * HS + d]; }
    s = s * SCALE;
    if (valid) { result[r * T + j] = s; }
    m = max(m, s);
  }
  red[lane] = m;
  ${reduceSnippet("max")}
  let rowMax = red[0];
  workgroupBarrier();
  var sum = 0.0;
  for (var j = lane; j <= i; j += ${LANES}) { sum += exp(result[r * T + j] - rowMax); }
  red[lane] = sum;
  ${reduceSnippet("sum")}
  let inv = 1.0 / red[0];
  for (var j = lane; j < T; j += ${LANES}) {
    if (valid) { result[r * T + j] = select(0.0, exp(result[r * T + j] - rowMax) * inv, j <= i); }
  }`,
  );
}

/** out [BH, T, hs] = P·X over j <= i (P a causal [BH, T, T]; X is v in the forward, k for dQ). */
function causalRowsProgram(key: string, u: Uniform[], shape: number[]) {
  return llmProgram(
    key,
    ["p", "x"],
    shape,
    Math.ceil(shape.reduce((a, b) => a * b, 1) / LANES),
    u,
    DECLS,
    `${SIZES}
  if (index >= BH * T * HS) { return; }
  let r = index / HS;
  let d = index % HS;
  let i = r % T;
  let xBase = (r / T) * T * HS;
  var acc = 0.0;
  for (var j = 0; j <= i; j++) { acc += p[r * T + j] * x[xBase + j * HS + d]; }
  result[index] = acc;`,
  );
}

/** out [BH, T, hs] = Pᵀ·X over i >= j (dV = Pᵀ·dY, dK = dSᵀ·Q). */
function causalColsProgram(key: string, u: Uniform[], shape: number[]) {
  return llmProgram(
    key,
    ["p", "x"],
    shape,
    Math.ceil(shape.reduce((a, b) => a * b, 1) / LANES),
    u,
    DECLS,
    `${SIZES}
  if (index >= BH * T * HS) { return; }
  let c = index / HS;
  let d = index % HS;
  let j = c % T;
  let b = c / T;
  var acc = 0.0;
  for (var i = j; i < T; i++) { acc += p[(b * T + i) * T + j] * x[(b * T + i) * HS + d]; }
  result[index] = acc;`,
  );
}

/** dS [BH, T, T] = P ∘ (dP − rowsum(dP ∘ P)) · scale with dP = dY·Vᵀ; zeros above the diagonal. */
function scoresGradProgram(u: Uniform[], shape: number[]) {
  return llmProgram(
    "llmAttnScoresGrad",
    ["probs", "dy", "v"],
    shape,
    (shape[0] as number) * (shape[1] as number),
    u,
    DECLS,
    `${SIZES}
  ${WORKGROUP_INDEX}
  let lane = i32(localId.x);
  let valid = wg < BH * T;
  let r = min(wg, BH * T - 1);
  let i = r % T;
  let vBase = (r / T) * T * HS;
  var rowAcc = 0.0;
  for (var j = lane; j <= i; j += ${LANES}) {
    var s = 0.0;
    for (var d = 0; d < HS; d++) { s += dy[r * HS + d] * v[vBase + j * HS + d]; }
    if (valid) { result[r * T + j] = s; }
    rowAcc += s * probs[r * T + j];
  }
  red[lane] = rowAcc;
  ${reduceSnippet("sum")}
  let rowDot = red[0];
  for (var j = lane; j < T; j += ${LANES}) {
    if (valid) {
      result[r * T + j] = select(0.0, probs[r * T + j] * (result[r * T + j] - rowDot) * SCALE, j <= i);
    }
  }`,
  );
}

export function webgpuAttentionFwd(args: KernelArgs): tf.TensorInfo[] {
  const { q, k, v } = args.inputs as { q: tf.TensorInfo; k: tf.TensorInfo; v: tf.TensorInfo };
  const [BH, T, hs] = q.shape as [number, number, number];
  const u = sizes(BH, T, hs);
  const probs = runProgram(args.backend, probsProgram(u, [BH, T, T]), [q, k], u); // [BH, T, T]
  const y = runProgram(args.backend, causalRowsProgram("llmAttnPV", u, [BH, T, hs]), [probs, v], u); // [BH, T, hs]
  return [y, probs];
}

export function webgpuAttentionBwd(args: KernelArgs): tf.TensorInfo[] {
  const { q, k, v, probs, dy } = args.inputs as Record<string, tf.TensorInfo>;
  const [BH, T, hs] = (q as tf.TensorInfo).shape as [number, number, number];
  const u = sizes(BH, T, hs);
  const P = probs as tf.TensorInfo;
  const head = [BH, T, hs];
  const dv = runProgram(args.backend, causalColsProgram("llmAttnDV", u, head), [P, dy as tf.TensorInfo], u); // [BH, T, hs]
  const dS = runProgram(
    args.backend,
    scoresGradProgram(u, [BH, T, T]),
    [P, dy as tf.TensorInfo, v as tf.TensorInfo],
    u,
  ); // [BH, T, T]
  const dq = runProgram(args.backend, causalRowsProgram("llmAttnDQ", u, head), [dS, k as tf.TensorInfo], u); // [BH, T, hs]
  const dk = runProgram(args.backend, causalColsProgram("llmAttnDK", u, head), [dS, q as tf.TensorInfo], u); // [BH, T, hs]
  (args.backend as { disposeData(id: unknown): boolean }).disposeData(dS.dataId);
  return [dq, dk, dv];
}
