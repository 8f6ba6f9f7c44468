/**
 * Generation throughput of @llm/model: tokens/s of greedy decoding with the KV cache and
 * without it (recomputing the whole window every token), one run each in the same process,
 * plus batched sampling sharing one prefill. Prints the ratio cached/uncached.
 * Run: npx tsx --conditions=@llm/source bench/generate/run.ts [--backend wasm] [--depth 4] [--tokens 128]
 * Leaves out: PyTorch (the reference has no KV cache; see bench/reference/gpt.py).
 */
import { Generator, GPT, initBackend } from "@llm/model";
import * as tf from "@tensorflow/tfjs-core";

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? (args[i + 1] as string) : fallback;
};

const backend = await initBackend(flag("backend", "wasm") as "wasm");
const depth = Number(flag("depth", "4"));
const newTokens = Number(flag("tokens", "128"));
const batch = Number(flag("batch", "8"));
const model = new GPT({ depth, vocabSize: 4096, seqLen: 256 }, { seed: 1 });
// random head and projections so that decoding is not degenerate (the default init zeroes them)
const random = new Map(
  [...model.parameters()].map(([k, v]) => [k, tf.randomNormal(v.shape, 0, 0.05, "float32", 2)]),
);
model.setWeights(random);
tf.dispose([...random.values()]);
const prompt = Array.from({ length: 16 }, (_, i) => (i * 37) % 4096);

async function time(label: string, fn: () => Promise<number>): Promise<number> {
  const start = performance.now();
  const tokens = await fn();
  const seconds = (performance.now() - start) / 1000;
  const rate = tokens / seconds;
  console.log(
    `${label.padEnd(34)} ${tokens} tokens in ${seconds.toFixed(2)} s = ${rate.toFixed(1)} tokens/s`,
  );
  return rate;
}

console.log(
  `backend ${backend.name}, model depth ${depth} (${(model.parameterCount() / 1e6).toFixed(2)}M params), prompt 16, new ${newTokens}`,
);
const cachedGen = new Generator(model);
const uncachedGen = new Generator(model, { cache: false });
await cachedGen.generateAll(prompt, { maxTokens: 4, temperature: 0 }); // warm-up
const cached = await time(
  "KV cache",
  async () => (await cachedGen.generateAll(prompt, { maxTokens: newTokens, temperature: 0 })).length,
);
const uncached = await time(
  "no cache (full window per token)",
  async () => (await uncachedGen.generateAll(prompt, { maxTokens: newTokens, temperature: 0 })).length,
);
const batched = await time(`KV cache, batch ${batch}, shared prefill`, async () =>
  (await cachedGen.generateBatch(prompt, batch, { maxTokens: newTokens, seed: 1 })).reduce(
    (a, r) => a + r.length,
    0,
  ),
);
console.log(
  `ratio cached/uncached: ${(cached / uncached).toFixed(2)}x; batched/cached: ${(batched / cached).toFixed(2)}x`,
);
console.log(`tensors alive: ${tf.memory().numTensors} (the model's ${model.parameters().size} weights)`);
model.dispose();
