/**
 * Where a data-parallel training step's time goes: times, per step, the main thread's
 * DataParallel.computeGradients (split into sending the weights, its own slice, the wait for the
 * worker and the gradient sum, as DataParallel reports them), clipping and AdamW, the worker's
 * phases, and one thread computing the same slice alone. By default in each thread's CPU time
 * (Linux schedstat; --wall for wall time), so a shared machine's load distorts it little;
 * `criticalPath` = max(main thread's busy time, worker's busy time + the main thread's serial
 * part outside its own slice): the step an idle machine would take, contention aside. Prints
 * one JSON line of mean ms per phase. Reference: none (a probe of our own code). Leaves out:
 * more than one worker.
 * Usage: npx tsx --conditions=@llm/source bench/train-throughput/dp-phases.ts [--vocab 4096]
 *   [--embd 128] [--layers 4] [--heads 4] [--seq 128] [--batch 8] [--steps 5] [--wall]
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
  threadCpuMs,
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
    wall: { type: "boolean", default: false },
  },
  { allowPositionals: false },
);
const num = (name: keyof typeof values): number => Number(values[name]);
const cpu = !values.wall && threadCpuMs() !== undefined;
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
const clock = (): number => (cpu ? (threadCpuMs() as number) : performance.now());
async function step(record: boolean): Promise<void> {
  const t0 = clock();
  const { grads } = await dp.computeGradients(batch);
  const t1 = clock();
  await clipGlobalNormAsync(grads, 1);
  const t2 = clock();
  optimizer.apply(grads, 1e-3);
  disposeGradients(grads);
  const t3 = clock();
  if (!record) return;
  add("dpGradients", t1 - t0);
  add("clip", t2 - t1);
  add("adamw", t3 - t2);
  add("mainStep", t3 - t0);
  const phases = cpu ? dp.lastCpuTimings : dp.lastTimings;
  for (const [k, v] of Object.entries(phases ?? {})) add(`dp.${k}`, v);
  if (phases) {
    // the main thread's serial part outside its own slice (the worker idles meanwhile)
    const serial = t3 - t0 - phases.own - phases.wait;
    const worker = phases.workerLoad + phases.workerCompute + phases.workerReadout;
    add("criticalPath", Math.max(t3 - t0 - phases.wait, worker + serial));
  }
}
for (let i = 0; i < 2; i++) await step(false);
const steps = num("steps");
for (let i = 0; i < steps; i++) await step(true);
for (let i = 0; i < steps; i++) {
  const t0 = clock();
  const { grads } = await computeGradientsAsync(model, half);
  add("aloneHalf", clock() - t0);
  disposeGradients(grads);
}
await dp.dispose();
const out: Record<string, number> = {};
for (const [k, v] of Object.entries(sums)) out[k] = Math.round((v / steps) * 10) / 10;
console.log(JSON.stringify({ clock: cpu ? "thread CPU ms" : "wall ms", ...out }));
