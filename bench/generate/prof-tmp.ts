import { ArrayBatchSource, GPT, initBackend, Trainer } from "@llm/model";
import * as tf from "@tensorflow/tfjs-core";
await initBackend("wasm");
const model = new GPT({ nEmbd: 128, nLayer: 4, nHead: 4, seqLen: 128, vocabSize: 4096 }, { seed: 1 });
const toks = Array.from({ length: 200000 }, (_, i) => (i * 7919) % 4096);
const src = new ArrayBatchSource(toks, 8, 128);
const trainer = new Trainer(model, { totalSteps: 100 });
for (let i = 0; i < 3; i++) await trainer.trainStep(src);
let t0 = performance.now();
for (let i = 0; i < 5; i++) await trainer.trainStep(src);
const ms = (performance.now() - t0) / 5;
console.log("step ms", ms.toFixed(0), "tok/s", (1024 / ms * 1000).toFixed(0));
const prof = await tf.profile(async () => { await trainer.trainStep(src); });
const agg = new Map<string, number>();
let total = 0;
for (const k of prof.kernels) { agg.set(k.name, (agg.get(k.name) ?? 0) + (k.kernelTimeMs as number)); total += k.kernelTimeMs as number; }
console.log("kernel total ms", total.toFixed(0), "kernels", prof.kernels.length);
console.log([...agg].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, v]) => `${k} ${v.toFixed(1)}`).join("\n"));
