import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-wasm";
import { rmsNorm, reluSquared, ropeNormHeads, linear, causalAttention, embeddingLookup, softmaxCrossEntropy, softcapCrossEntropy, registerWasmKernels } from "./src/ops/index.js";
registerWasmKernels();
async function run(b: string) {
  await tf.setBackend(b); await tf.ready();
  const out: Record<string, Float32Array> = {};
  const before = tf.memory().numTensors;
  tf.tidy(() => {
    const x = tf.randomNormal([6, 5], 0, 1, "float32", 1) as tf.Tensor2D;
    const w = tf.randomNormal([5, 7], 0, 1, "float32", 2) as tf.Tensor2D;
    const tg = tf.tensor1d([1, 2, 3, 4, 0, 6], "int32");
    const mask = tf.tensor1d([1, 0, 1, 1, 0, 1]);
    const g = tf.grads((a, b) => softcapCrossEntropy(linear(a as tf.Tensor2D, b as tf.Tensor2D), tg, 2, mask))([x, w]);
    out.lin_dx = g[0]!.dataSync() as Float32Array; out.lin_dw = g[1]!.dataSync() as Float32Array;
    out.loss = softcapCrossEntropy(linear(x, w), tg, 2, mask).dataSync() as Float32Array;
    out.loss0 = softmaxCrossEntropy(linear(x, w), tg).dataSync() as Float32Array;
    const q = tf.randomNormal([2, 3, 5, 4], 0, 1, "float32", 3);
    const k = tf.randomNormal([2, 3, 5, 4], 0, 1, "float32", 4);
    const v = tf.randomNormal([2, 3, 5, 4], 0, 1, "float32", 5);
    const r = tf.randomNormal([2, 3, 5, 4], 0, 1, "float32", 6);
    out.att = causalAttention(q, k, v).dataSync() as Float32Array;
    const ga = tf.grads((a, b, c) => tf.sum(tf.mul(causalAttention(a!, b!, c!), r)))([q, k, v]);
    out.dq = ga[0]!.dataSync() as Float32Array; out.dk = ga[1]!.dataSync() as Float32Array; out.dv = ga[2]!.dataSync() as Float32Array;
    const tt = tf.randomNormal([7, 9], 0, 1, "float32", 8);
    const xr = tf.randomNormal([6, 16], 0, 1, "float32", 9) as tf.Tensor2D;
    const rr = tf.randomNormal([2, 2, 3, 8], 0, 1, "float32", 10);
    const cos = tf.randomUniform([3, 4], -1, 1, "float32", 11); const sin = tf.randomUniform([3, 4], -1, 1, "float32", 12);
    out.rms = rmsNorm(xr).dataSync() as Float32Array;
    out.drms = tf.grad((a) => tf.sum(tf.mul(rmsNorm(a), tf.reshape(rr, [6, 16]))))(xr).dataSync() as Float32Array;
    out.relu2 = reluSquared(xr).dataSync() as Float32Array;
    out.drelu2 = tf.grad((a) => tf.sum(tf.mul(reluSquared(a), tf.reshape(rr, [6, 16]))))(xr).dataSync() as Float32Array;
    out.rope = ropeNormHeads(xr, 2, 3, 2, cos, sin).dataSync() as Float32Array;
    out.drope = tf.grad((a) => tf.sum(tf.mul(ropeNormHeads(a as tf.Tensor2D, 2, 3, 2, cos, sin), rr)))(xr).dataSync() as Float32Array;
    out.tr = tf.transpose(tt).dataSync() as Float32Array;
  });
  console.log(b, "leak", tf.memory().numTensors - before);
  return out;
}
const c = await run("cpu"); const w = await run("wasm");
for (const key of Object.keys(c)) {
  let m = 0; for (let i = 0; i < c[key]!.length; i++) m = Math.max(m, Math.abs(c[key]![i]! - w[key]![i]!));
  console.log(key, c[key]!.length, "maxdiff", m);
}
