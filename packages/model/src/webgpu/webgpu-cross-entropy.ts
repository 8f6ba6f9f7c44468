/**
 * The fused (optionally softcapped) softmax cross-entropy kernel for tfjs-backend-webgpu, under
 * the wasm kernel's name and contract (ops/wasm-cross-entropy.ts): "LlmSoftmaxCrossEntropy"
 * logits [N, V] f32, targets [N] i32, weights [N] f32, attrs { cap } -> loss [] =
 * Σ w·(lse − z_target) and grad [N, V] = dLoss/dlogits, with z = cap·tanh(x/cap). Three WGSL
 * programs: per-row log-sum-exp and weighted loss (one workgroup per row), the gradient
 * w·(softmax − onehot)·(1 − (z/cap)²) (one thread per logit), and the sum of the row losses.
 * Neither tanh, log-softmax nor a one-hot matrix is materialised. Reference: llm.c's fused
 * classifier. Leaves out: label smoothing, ignore_index (use a 0 weight).
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
  attrs?: unknown;
}

const DECLS = `fn softcap(x: f32) -> f32 {
  return select(x, uniforms.cap * tanh(x * uniforms.invCap), uniforms.cap > 0.0);
}
var<workgroup> red: array<f32, ${LANES}>;`;
const SIZES = "let N = uniforms.rows; let V = uniforms.vocab;";

function sizes(N: number, V: number, cap: number): Uniform[] {
  return [
    ["rows", "i32", N],
    ["vocab", "i32", V],
    ["cap", "f32", cap],
    ["invCap", "f32", cap > 0 ? 1 / cap : 0],
  ];
}

/** [N, 2]: (lse_n, w_n·(lse_n − z_target)). */
function rowLossProgram(u: Uniform[], N: number) {
  return llmProgram(
    "llmCeRows",
    ["logits", "targets", "weights"],
    [N, 2],
    N,
    u,
    DECLS,
    `${SIZES}
  ${WORKGROUP_INDEX}
  let lane = i32(localId.x);
  let n = min(wg, N - 1);
  var m = -3.402823e38;
  for (var j = lane; j < V; j += ${LANES}) { m = max(m, softcap(logits[n * V + j])); }
  red[lane] = m;
  ${reduceSnippet("max")}
  let rowMax = red[0];
  workgroupBarrier();
  var sum = 0.0;
  for (var j = lane; j < V; j += ${LANES}) { sum += exp(softcap(logits[n * V + j]) - rowMax); }
  red[lane] = sum;
  ${reduceSnippet("sum")}
  if (lane == 0 && wg < N) {
    let lse = rowMax + log(red[0]);
    result[n * 2] = lse;
    result[n * 2 + 1] = weights[n] * (lse - softcap(logits[n * V + targets[n]]));
  }`,
  );
}

/** [N, V]: w·(exp(z − lse) − onehot)·dz/dx. */
function gradProgram(u: Uniform[], N: number, V: number) {
  return llmProgram(
    "llmCeGrad",
    ["logits", "targets", "weights", "rowStats"],
    [N, V],
    Math.ceil((N * V) / LANES),
    u,
    DECLS,
    `${SIZES}
  if (index >= N * V) { return; }
  let n = index / V;
  let j = index % V;
  let z = softcap(logits[index]);
  let w = weights[n];
  var g = w * exp(z - rowStats[n * 2]);
  if (j == targets[n]) { g = g - w; }
  if (uniforms.cap > 0.0) {
    let t = z * uniforms.invCap;
    g = g * (1.0 - t * t);
  }
  result[index] = g;`,
  );
}

/** [1]: Σ_n rowStats[n, 1]. */
function lossSumProgram(u: Uniform[]) {
  return llmProgram(
    "llmCeSum",
    ["rowStats"],
    [1],
    1,
    u,
    DECLS,
    `${SIZES}
  let lane = i32(localId.x);
  var acc = 0.0;
  for (var n = lane; n < N; n += ${LANES}) { acc += rowStats[n * 2 + 1]; }
  red[lane] = acc;
  ${reduceSnippet("sum")}
  if (lane == 0) { result[0] = red[0]; }`,
  );
}

export function webgpuSoftmaxCrossEntropy(args: KernelArgs): tf.TensorInfo[] {
  const logits = args.inputs.logits as tf.TensorInfo;
  const targets = args.inputs.targets as tf.TensorInfo;
  const weights = args.inputs.weights as tf.TensorInfo;
  const cap = (args.attrs as { cap: number }).cap;
  const [N, V] = logits.shape as [number, number];
  const u = sizes(N, V, cap);
  const rows = runProgram(args.backend, rowLossProgram(u, N), [logits, targets, weights], u); // [N, 2]
  const grad = runProgram(args.backend, gradProgram(u, N, V), [logits, targets, weights, rows], u); // [N, V]
  const sum = runProgram(args.backend, lossSumProgram(u), [rows], u); // [1]
  (args.backend as { disposeData(id: unknown): boolean }).disposeData(rows.dataId);
  return [{ dataId: sum.dataId, shape: [], dtype: "float32" }, grad];
}
