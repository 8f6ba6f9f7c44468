/**
 * Times AdamW training steps of @llm/model's GPT (its computeGradients, clipGlobalNorm and
 * AdamW: what the Trainer runs) on one tfjs backend, optionally data-parallel over worker
 * threads. Prints one JSON line with tokens/s, tokens per CPU-second (all threads), ms/step and
 * peak RSS. Called by run.ts.
 * Usage: npx tsx --conditions=@llm/source bench/train-throughput/ours.ts --vocab 4096 --embd 128
 *   --layers 4 --heads 4 --seq 128 --batch 8 [--backend wasm|cpu|webgpu] [--workers 1] [--steps 5]
 * Losses and norms are read with `await data()` (the async readers), which webgpu needs.
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
} from "@llm/model";

const { values } = parseCliOptions(
  process.argv.slice(2),
  {
    vocab: { type: "string" },
    embd: { type: "string" },
    layers: { type: "string" },
    heads: { type: "string" },
    seq: { type: "string" },
    batch: { type: "string" },
    backend: { type: "string", default: "wasm" },
    workers: { type: "string", default: "0" },
    steps: { type: "string", default: "5" },
    warmup: { type: "string", default: "2" },
  },
  { allowPositionals: false },
);
const num = (name: keyof typeof values): number => Number(values[name]);
const [V, C, L, H, T, B] = [num("vocab"), num("embd"), num("layers"), num("heads"), num("seq"), num("batch")];
const backend = values.backend as "wasm" | "cpu" | "webgpu";
const info = await initBackend(backend);
const model = new GPT({ vocabSize: V, nEmbd: C, nLayer: L, nHead: H, seqLen: T }, { seed: 0 });
const optimizer = new AdamW(model.parameters(), { weightDecay: 0.1 });
const workers = num("workers");
const dp = workers > 0 ? await DataParallel.create(model, { workers }) : undefined;
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

async function step(): Promise<number> {
  const { loss, grads } = dp ? await dp.computeGradients(batch) : await computeGradientsAsync(model, batch);
  await clipGlobalNormAsync(grads, 1);
  optimizer.apply(grads, 1e-3);
  disposeGradients(grads);
  return loss;
}

for (let i = 0; i < num("warmup"); i++) await step();
const steps = num("steps");
const cpu0 = process.cpuUsage(); // all threads of the process, workers included
const t0 = performance.now();
for (let i = 0; i < steps; i++) await step();
const ms = (performance.now() - t0) / steps;
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000 / steps;
await dp?.dispose();
console.log(
  JSON.stringify({
    engine: `ours-${backend}${workers > 0 ? `-x${workers + 1}` : ""}`,
    tokensPerSecond: (B * T * 1000) / ms,
    msPerStep: ms,
    // tokens per CPU-second: what a shared machine's load changes least
    cpuTokensPerSecond: (B * T * 1000) / cpuMs,
    threads: workers + 1,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    ...(info.adapter ? { adapter: info.label } : {}),
  }),
);
