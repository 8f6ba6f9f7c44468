/**
 * Where a data-parallel training step's wall time goes: times, per step, the main thread's
 * DataParallel.computeGradients (split into its own slice, the wait for the worker and the
 * gradient sum, as DataParallel reports them), clipping and AdamW, against one thread computing
 * the same slice alone. Prints one JSON line of mean ms per phase. Reference: none (a probe of
 * our own code). Leaves out: more than one worker.
 * Usage: npx tsx --conditions=@llm/source bench/train-throughput/dp-phases.ts [--vocab 4096]
 *   [--embd 128] [--layers 4] [--heads 4] [--seq 128] [--batch 8] [--steps 5]
 */
import { parseCliOptions } from "@llm/core";
import {
  AdamW,
  clipGlobalNormAsync,
  computeGradientsAsync,
  DataParallel,
  disposeGradients,
  GPT,
  initBackend,
  sliceBatch,
} from "@llm/model";

const { values } = parseCliOptions(
  process.argv.slice(2),
  {
    vocab: { type: "string", default: "4096" },
    embd: { type: "string", default: "128" },
    layers: { type: "string", default: "4" },
    heads: { type: "string", default: "4" },
    seq: { type: "string", default: "128" },
    batch: { type: "string", default: "8" },
    steps: { type: "string", default: "5" },
  },
  { allowPositionals: false },
);
const num = (name: keyof typeof values): number => Number(values[name]);
const [V, C, L, H, T, B] = [num("vocab"), num("embd"), num("layers"), num("heads"), num("seq"), num("batch")];
await initBackend("wasm");
const model = new GPT({ vocabSize: V, nEmbd: C, nLayer: L, nHead: H, seqLen: T }, { seed: 0 });
const optimizer = new AdamW(model.parameters(), { weightDecay: 0.1 });
const dp = await DataParallel.create(model, { workers: 1 });
let seed = 12345;
const rand = () => {
  seed = (seed * 1103515245 + 12345) >>> 0;
  return (seed >>> 8) % V;
};
const ids = Int32Array.from({ length: B * (T + 1) }, rand);
const inputs = new Int32Array(B * T);
const targets = new Int32Array(B * T);
for (let b = 0; b < B; b++) {
  inputs.set(ids.subarray(b * (T + 1), b * (T + 1) + T), b * T);
  targets.set(ids.subarray(b * (T + 1) + 1, (b + 1) * (T + 1)), b * T);
}
const batch = { inputs, targets, batchSize: B, seqLen: T };
const half = sliceBatch(batch, 0, B / 2);
const sums: Record<string, number> = {};
const add = (k: string, v: number) => {
  sums[k] = (sums[k] ?? 0) + v;
};
async function step(record: boolean): Promise<void> {
  const t0 = performance.now();
  const { grads } = await dp.computeGradients(batch);
  const t1 = performance.now();
  await clipGlobalNormAsync(grads, 1);
  const t2 = performance.now();
  optimizer.apply(grads, 1e-3);
  disposeGradients(grads);
  const t3 = performance.now();
  if (!record) return;
  add("dpGradients", t1 - t0);
  add("clip", t2 - t1);
  add("adamw", t3 - t2);
  add("step", t3 - t0);
  for (const [k, v] of Object.entries(dp.lastTimings)) add(`dp.${k}`, v);
}
for (let i = 0; i < 2; i++) await step(false);
const steps = num("steps");
for (let i = 0; i < steps; i++) await step(true);
for (let i = 0; i < steps; i++) {
  const t0 = performance.now();
  const { grads } = await computeGradientsAsync(model, half);
  add("aloneHalf", performance.now() - t0);
  disposeGradients(grads);
}
await dp.dispose();
const out: Record<string, number> = {};
for (const [k, v] of Object.entries(sums)) out[k] = Math.round((v / steps) * 10) / 10;
console.log(JSON.stringify(out));
