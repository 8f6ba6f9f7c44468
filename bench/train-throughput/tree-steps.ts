/**
 * Training, SFT and RL step throughput of the @llm/model found in another checkout, so that two
 * versions (before and after a change) can be timed alternately under the same load. Prints one
 * JSON line per measure with tokens/s and tokens per CPU-second (all threads), which the load of
 * a shared machine distorts least:
 *   pretrain (a) / (b): main thread + 1 data-parallel worker, AdamW + clipping (as ours.ts);
 *   pretrain (p): the same with the `small` preset's model (tied, smeared keys, qk gains) and
 *     its pretraining batch of 8, i.e. what the pipeline's pretrain stage runs;
 *   sft: one thread, the `small` preset's model (tied, smeared keys, qk gains), batch 8, masked;
 *   rl-update: one thread, gradients of the summed log-probs of 32 x 128 tokens (GRPO's update),
 *     once with a log-softmax times a one-hot, once through that checkout's @llm/rl tokenLogProbs;
 *   rollouts: one thread, 8 samples x 64 new tokens with the KV cache;
 *   grpo (with --only grpo): one thread, that checkout's whole @llm/rl grpoUpdate as the pipeline's
 *     RL stage calls it: 32 rollout rows of 80 tokens (completion mask on 50), a frozen reference
 *     for the KL term, 8 rows of SFT replay, one pass.
 * --embd/--layers/--heads set the model of p, sft, rl and grpo (default the 4 x 128 of the issue's
 * small model; the `small` preset now trains --embd 160 --layers 6 --heads 5).
 * Usage (repo root), e.g. against the commit before this work:
 *   D=$(mktemp -d) && git archive 0f59bac packages/model | tar -x -C $D &&
 *   ln -s $PWD/packages/model/node_modules $D/packages/model/node_modules
 *   npx tsx --conditions=@llm/source bench/train-throughput/tree-steps.ts --root $D
 *   npx tsx --conditions=@llm/source bench/train-throughput/tree-steps.ts --root $PWD
 * Leaves out: PyTorch (run.ts compares against it).
 */
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    root: { type: "string" },
    only: { type: "string", default: "a,b,p,sft,rl" },
    steps: { type: "string", default: "3" },
    embd: { type: "string", default: "128" },
    layers: { type: "string", default: "4" },
    heads: { type: "string", default: "4" },
  },
});
const root = values.root as string;
const only = new Set((values.only as string).split(","));
const steps = Number(values.steps);
const shape = { nEmbd: Number(values.embd), nLayer: Number(values.layers), nHead: Number(values.heads) };
type ModelModule = typeof import("@llm/model");
const m = (await import(`${root}/packages/model/src/index.ts`)) as ModelModule;
const tf = await import("@tensorflow/tfjs-core");
await m.initBackend("wasm");
const T = 128;
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
/** Runs `fn` n times after 2 warm-up calls; tokens per second of wall and of CPU time. */
async function time(
  tokens: number,
  n: number,
  fn: () => unknown,
): Promise<{ tokPerS: number; cpuTokPerS: number }> {
  for (let i = 0; i < 2; i++) await fn();
  const c0 = cpuMs();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn();
  const wall = (performance.now() - t0) / n;
  const cpu = (cpuMs() - c0) / n;
  return { tokPerS: Math.round((tokens * 1000) / wall), cpuTokPerS: Math.round((tokens * 1000) / cpu) };
}
function ids(n: number, V: number, mul: number, add: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => (i * mul + add) % V);
}
const print = (measure: string, r: object) => console.log(JSON.stringify({ measure, root, ...r }));

const presetModel = { smearKeys: true, tieEmbeddings: true, qkGain: true };
for (const [name, V, B, extra] of [
  ["a", 4096, 8, {}],
  ["b", 1024, 16, {}],
  ["p", 1024, 8, presetModel],
] as const) {
  if (!only.has(name)) continue;
  const model = new m.GPT(
    { vocabSize: V, nEmbd: 128, nLayer: 4, nHead: 4, seqLen: T, ...(name === "p" ? shape : {}), ...extra },
    { seed: 0 },
  );
  const opt = new m.AdamW(model.parameters(), { weightDecay: 0.1 });
  const dp = await m.DataParallel.create(model, { workers: 1 });
  const batch = {
    inputs: ids(B * T, V, 7919, 0),
    targets: ids(B * T, V, 104729, 13),
    batchSize: B,
    seqLen: T,
  };
  const r = await time(B * T, steps, async () => {
    const { grads } = await dp.computeGradients(batch);
    m.clipGlobalNorm(grads, 1);
    opt.apply(grads, 1e-3);
    m.disposeGradients(grads);
  });
  await dp.dispose();
  print(`pretrain (${name}) V${V} B${B}${name === "p" ? " small preset model" : ""}, main + 1 worker`, r);
}
if (only.has("sft") || only.has("rl") || only.has("grpo")) {
  const V = 1024;
  const model = new m.GPT({ vocabSize: V, seqLen: T, ...shape, ...presetModel }, { seed: 0 });
  if (only.has("sft")) {
    const B = 8;
    const opt = new m.AdamW(model.parameters(), { weightDecay: 0 });
    const mask = Float32Array.from({ length: B * T }, (_, i) => (i % T > 20 ? 1 : 0));
    const batch = {
      inputs: ids(B * T, V, 7919, 0),
      targets: ids(B * T, V, 104729, 13),
      mask,
      batchSize: B,
      seqLen: T,
    };
    const r = await time(B * T, steps + 1, () => {
      const { grads } = m.computeGradients(model, batch);
      m.clipGlobalNorm(grads, 1);
      opt.apply(grads, 1e-3);
      m.disposeGradients(grads);
    });
    print("sft step, small model, B8, one thread", r);
  }
  if (only.has("rl")) {
    const R = 32;
    const input = tf.tensor2d(ids(R * T, V, 31, 0), [R, T], "int32");
    const target = tf.tensor2d(ids(R * T, V, 17, 3), [R, T], "int32");
    const r = await time(R * T, Math.max(1, steps - 1), () => {
      const { grads } = m.computeGradients(model, () =>
        tf.tidy(() => {
          const logits = tf.reshape(model.forward(input), [R, T, V]); // [R, T, V]
          return tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(target, V))); // sum of log p(target)
        }),
      );
      m.disposeGradients(grads);
    });
    print("rl update, 32 x 128 tokens, one thread", r);
    // the same through that checkout's own @llm/rl log-probs at the preset's temperature 0.7
    const rl = (await import(`${root}/packages/rl/src/index.ts`)) as {
      tokenLogProbs(logits: tf.Tensor3D, targets: tf.Tensor2D, temperature?: number): tf.Tensor2D;
    };
    const rr = await time(R * T, Math.max(1, steps - 1), () => {
      const { grads } = m.computeGradients(model, () =>
        tf.tidy(() => tf.sum(rl.tokenLogProbs(model.forward(input), target as tf.Tensor2D, 0.7))),
      );
      m.disposeGradients(grads);
    });
    print("rl update via @llm/rl tokenLogProbs (temperature 0.7), 32 x 128 tokens, one thread", rr);
    const gen = new m.Generator(model);
    const g = await time(8 * 64, 1, () =>
      gen.generateBatch([1, 2, 3, 4, 5, 6, 7, 8], 8, { maxTokens: 64, temperature: 1, seed: 1 }),
    );
    print("rl rollouts, 8 x 64 new tokens, one thread", g);
    tf.dispose([input, target]);
  }
}
if (only.has("grpo")) {
  const V = 1024;
  const model = new m.GPT({ vocabSize: V, seqLen: T, ...shape, ...presetModel }, { seed: 0 });
  const reference = new m.GPT({ vocabSize: V, seqLen: T, ...shape, ...presetModel }, { seed: 1 });
  const opt = new m.AdamW(model.parameters(), { weightDecay: 0 });
  type Rl = {
    resolveGrpoConfig(c: object): object;
    grpoUpdate(...args: unknown[]): { loss: number };
  };
  const rl = (await import(`${root}/packages/rl/src/index.ts`)) as Rl;
  const cfg = rl.resolveGrpoConfig({ lossType: "dr_grpo", beta: 0.1, maxNewTokens: 64, temperature: 0.7 });
  const R = 32;
  const L = 80;
  const mask = Float32Array.from({ length: R * L }, (_, i) => (i % L >= 30 ? 1 : 0));
  const batch = {
    batchSize: R,
    seqLen: L,
    inputs: ids(R * L, V, 31, 0),
    targets: ids(R * L, V, 17, 3),
    mask,
    samplingLogProbs: Float32Array.from({ length: R * L }, (_, i) => -1 - (i % 7) / 10),
    advantages: Float32Array.from({ length: R }, (_, i) => (i % 4) - 1.5),
    rolloutIndex: Array.from({ length: R }, (_, i) => i),
    tokensPerRow: Array.from({ length: R }, () => L - 30),
  };
  const B = 8;
  const replay = {
    coefficient: 1,
    batch: {
      inputs: ids(B * T, V, 7919, 0),
      targets: ids(B * T, V, 104729, 13),
      mask: Float32Array.from({ length: B * T }, (_, i) => (i % T > 20 ? 1 : 0)),
      batchSize: B,
      seqLen: T,
    },
  };
  let loss = 0;
  const r = await time(R * L, Math.max(1, steps - 1), () => {
    loss = rl.grpoUpdate(model, reference, opt, batch, R, cfg, 1e-4, replay).loss;
  });
  print(`grpo update (32 x ${L} rollout tokens + reference + 8 x 128 replay), one thread`, { ...r, loss });
}
