import * as tf from "@tensorflow/tfjs-core";
import { FastGPT } from "./scratch-fast-gpt.js";
import { AdamW, GPT, clipGlobalNorm, computeGradients, disposeGradients, initBackend } from "@llm/model";
const backend = process.argv[2] ?? "wasm";
await initBackend(backend as "wasm");
const cfg = { vocabSize: 4096, nEmbd: 128, nLayer: 4, nHead: 4, seqLen: 128 };
const B = 8, T = 128;
const model = process.argv[4] === "fast" ? new FastGPT(cfg, { seed: 1 }) : new GPT(cfg, { seed: 1 });
const opt = new AdamW(model.parameters(), {});
const inputs = new Int32Array(B * T).map((_, i) => (i * 7919) % 4096);
const targets = new Int32Array(B * T).map((_, i) => (i * 104729 + 13) % 4096);
const batch = { inputs, targets, batchSize: B, seqLen: T };
function step() {
  const r = computeGradients(model, batch);
  clipGlobalNorm(r.grads, 1);
  opt.apply(r.grads, 1e-3);
  disposeGradients(r.grads);
  return r.loss;
}
for (let i = 0; i < 2; i++) step();
const n = Number(process.argv[3] ?? 5);
const t0 = performance.now();
for (let i = 0; i < n; i++) step();
const ms = (performance.now() - t0) / n;
console.log(`${backend}: ${ms.toFixed(1)} ms/step, ${((B * T) / ms * 1000).toFixed(0)} tok/s`);
const prof = await tf.profile(() => { step(); });
const by = new Map<string, { ms: number; n: number }>();
for (const k of prof.kernels) {
  const key = `${k.name} ${k.inputShapes.map((s) => `[${s}]`).join("")}`;
  const e = by.get(key) ?? { ms: 0, n: 0 }; e.ms += k.kernelTimeMs as number; e.n++; by.set(key, e);
}
const byName = new Map<string, { ms: number; n: number }>();
for (const k of prof.kernels) { const e = byName.get(k.name) ?? { ms: 0, n: 0 }; e.ms += k.kernelTimeMs as number; e.n++; byName.set(k.name, e); }
const total = [...byName.values()].reduce((a, b) => a + b.ms, 0);
console.log("kernel total", total.toFixed(1), "ms; kernels:", prof.kernels.length);
for (const [k, v] of [...byName].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) console.log(k.padEnd(30), v.ms.toFixed(1).padStart(8), String(v.n).padStart(5));
console.log("--- by shape");
for (const [k, v] of [...by].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) console.log(k.padEnd(60), v.ms.toFixed(1).padStart(8), String(v.n).padStart(5));
