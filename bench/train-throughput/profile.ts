/**
 * Where one training step of @llm/model's GPT spends its time on a tfjs backend: tf.profile of
 * one step (forward, backward, clipping, AdamW), kernel times summed by kernel name, printed as
 * a markdown table (the one in bench/README.md). Fused ops run as customGrad scopes; their
 * inner kernels are listed, the scopes themselves are not (they would count twice). Each
 * kernel's time is the minimum over --reps profiled steps (default 3), and the unprofiled step
 * the minimum over as many: on a shared machine the minimum is the steadiest figure. Times are
 * CPU milliseconds of the process (tfjs's platform clock is swapped for process.cpuUsage, so
 * time the scheduler gives other jobs is not counted) unless --wall. With --by-shape, kernels are
 * listed per input and output shapes (and matrix products with their GFLOP/s).
 * With --small, the `small` preset's model (tied embeddings, smeared keys, qk gains) and a
 * loss mask (as SFT).
 * Usage: npx tsx --conditions=@llm/source bench/train-throughput/profile.ts [--backend wasm]
 *   [--vocab 4096 --embd 128 --layers 4 --heads 4 --seq 128 --batch 8] [--small] [--reps 3]
 */
import { parseCliOptions } from "@llm/core";
import { AdamW, clipGlobalNorm, computeGradients, disposeGradients, GPT, initBackend } from "@llm/model";
import * as tf from "@tensorflow/tfjs-core";

const { values } = parseCliOptions(
  process.argv.slice(2),
  {
    backend: { type: "string", default: "wasm" },
    vocab: { type: "string", default: "4096" },
    embd: { type: "string", default: "128" },
    layers: { type: "string", default: "4" },
    heads: { type: "string", default: "4" },
    seq: { type: "string", default: "128" },
    batch: { type: "string", default: "8" },
    small: { type: "boolean", default: false },
    reps: { type: "string", default: "3" },
    wall: { type: "boolean", default: false },
    "by-shape": { type: "boolean", default: false },
  },
  { allowPositionals: false },
);
const num = (name: keyof typeof values): number => Number(values[name]);
const [V, C, L, H, T, B] = [num("vocab"), num("embd"), num("layers"), num("heads"), num("seq"), num("batch")];
await initBackend(values.backend as "wasm");
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const clock = values.wall === true ? () => performance.now() : cpuMs;
if (values.wall !== true) tf.env().platform.now = cpuMs; // the kernel timer of tf.profile
const small = values.small === true;
const model = new GPT(
  {
    vocabSize: V,
    nEmbd: C,
    nLayer: L,
    nHead: H,
    seqLen: T,
    ...(small ? { smearKeys: true, tieEmbeddings: true, qkGain: true } : {}),
  },
  { seed: 0 },
);
const optimizer = new AdamW(model.parameters(), {});
const inputs = Int32Array.from({ length: B * T }, (_, i) => (i * 7919) % V);
const targets = Int32Array.from({ length: B * T }, (_, i) => (i * 104729 + 13) % V);
const batch = {
  inputs,
  targets,
  batchSize: B,
  seqLen: T,
  ...(small ? { mask: Float32Array.from({ length: B * T }, (_, i) => (i % T > 20 ? 1 : 0)) } : {}),
};
function step(): void {
  const { grads } = computeGradients(model, batch);
  clipGlobalNorm(grads, 1);
  optimizer.apply(grads, 1e-3);
  disposeGradients(grads);
}
step();
step();
const reps = Number(values.reps);
let wall = Number.POSITIVE_INFINITY;
for (let r = 0; r < reps; r++) {
  const t0 = clock();
  step();
  wall = Math.min(wall, clock() - t0);
}
const byName = new Map<string, { ms: number; calls: number }>();
for (let r = 0; r < reps; r++) {
  const profile = await tf.profile(() => {
    step();
  });
  const one = new Map<string, { ms: number; calls: number }>();
  for (const k of profile.kernels) {
    if (k.name === "unnamed scope") continue;
    const key =
      values["by-shape"] === true
        ? `${k.name} ${k.inputShapes.map((s) => `[${s}]`).join(" ")} -> ${k.outputShapes.map((s) => `[${s}]`).join(" ")}`
        : k.name;
    const e = one.get(key) ?? { ms: 0, calls: 0 };
    e.ms += k.kernelTimeMs as number;
    e.calls += 1;
    one.set(key, e);
  }
  for (const [name, e] of one) {
    const best = byName.get(name);
    if (best === undefined || e.ms < best.ms) byName.set(name, e);
  }
}
const total = [...byName.values()].reduce((a, b) => a + b.ms, 0);
console.log(
  `backend ${values.backend}; one step of ${B * T} tokens: ${wall.toFixed(0)} ms ${values.wall === true ? "wall" : "CPU"} (unprofiled), ${total.toFixed(0)} ms in kernels (min over ${reps})\n`,
);
console.log("| kernel | ms | share | calls |");
console.log("|---|---:|---:|---:|");
for (const [name, e] of [...byName].sort((a, b) => b[1].ms - a[1].ms)) {
  if (e.ms / total < 0.005) continue;
  // a 2-D product op(A) op(B) -> [M, N], A holding M x K floats either way: 2 M N K flop a call
  const d = name.startsWith("LlmMatMul [") ? (name.match(/\d+/g) ?? []).map(Number) : [];
  let rate = "";
  if (d.length === 6) {
    const [a0, a1, , , M, N] = d as [number, number, number, number, number, number];
    const K = (a0 * a1) / M;
    rate = ` (${((2 * M * N * K * e.calls) / (e.ms * 1e6)).toFixed(1)} GFLOP/s)`;
  }
  console.log(`| ${name}${rate} | ${e.ms.toFixed(1)} | ${((100 * e.ms) / total).toFixed(1)}% | ${e.calls} |`);
}
console.log(`| (JS outside kernels: tape, scheduling, reads) | ${(wall - total).toFixed(1)} | | |`);
