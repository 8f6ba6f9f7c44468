import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-wasm";
import { registerWasmKernels } from "../../packages/model/src/ops/index.js";
registerWasmKernels();
await tf.setBackend("wasm"); await tf.ready();
function bench(name: string, f: () => tf.Tensor | tf.Tensor[]) {
  for (let i = 0; i < 3; i++) tf.dispose(f());
  const n = 20; const t0 = performance.now();
  for (let i = 0; i < n; i++) tf.dispose(f());
  console.log(name.padEnd(40), ((performance.now() - t0) / n).toFixed(3), "ms");
}
const x = tf.randomNormal([1024, 128]);
bench("transpose [1024,128]", () => tf.transpose(x));
const w = tf.randomNormal([128, 4096]);
bench("transpose [128,4096]", () => tf.transpose(w));
const a = tf.randomNormal([1024, 128]); const b = tf.randomNormal([128, 128]);
bench("mm [1024,128]@[128,128]", () => tf.matMul(a, b));
const N = 4096 * 1024; const arr = new Float32Array(N).map(() => Math.random() * 10 - 5);
const out = new Float32Array(N);
function t(name: string, f: () => void) { f(); const t0 = performance.now(); for (let i = 0; i < 5; i++) f(); console.log(name.padEnd(40), ((performance.now() - t0) / 5).toFixed(2), "ms"); }
t("Math.tanh 4M", () => { for (let i = 0; i < N; i++) out[i] = Math.tanh(arr[i]!); });
t("Math.exp 4M", () => { for (let i = 0; i < N; i++) out[i] = Math.exp(arr[i]!); });
t("tanh via exp 4M", () => { for (let i = 0; i < N; i++) { const e = Math.exp(2 * arr[i]!); out[i] = 1 - 2 / (e + 1); } });
t("copy 4M", () => { for (let i = 0; i < N; i++) out[i] = arr[i]!; });
