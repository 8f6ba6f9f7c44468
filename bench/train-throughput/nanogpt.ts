/**
 * Times training steps of the TypeScript peer @genai-fi/nanogpt 1.3.0 (learned or rotary
 * positions, GELU MLP, tied embeddings: close to, not the same as, our GPT) through its own
 * model class and trainer step, on its only backend that works in Node (tfjs-backend-cpu,
 * bundled inside it). Prints one JSON line. Called by run.ts.
 * Shims: the package bundles its own copy of tfjs-core built for browsers; with IS_NODE set it
 * installs a Node platform whose `util` import was stubbed out by its bundler and throws, so
 * IS_NODE is turned off while it loads (tfjs's engine and environment are global, shared with
 * the @tensorflow/tfjs-core we import first). Its BasicTrainer is not in the package's exports
 * map, so it is imported by path next to the resolved entry.
 */
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs-core";

const { values } = parseArgs({
  options: {
    vocab: { type: "string" },
    embd: { type: "string" },
    layers: { type: "string" },
    heads: { type: "string" },
    seq: { type: "string" },
    batch: { type: "string" },
    steps: { type: "string", default: "2" },
    warmup: { type: "string", default: "1" },
  },
});
const num = (name: keyof typeof values): number => Number(values[name]);
const [V, C, L, H, T, B] = [num("vocab"), num("embd"), num("layers"), num("heads"), num("seq"), num("batch")];

const quiet = console.warn;
console.warn = () => {};
tf.env().set("IS_NODE", false);
const entry = import.meta.resolve("@genai-fi/nanogpt");
const ng = (await import(entry)) as {
  TeachableLLM: { selectBackend(name: "cpu"): Promise<void> };
  models: { NanoGPTV1: new (config: Record<string, unknown>) => unknown };
};
const { default: BasicTrainer } = (await import(new URL("./training/BasicTrainer.js", entry).href)) as {
  default: new (
    model: unknown,
    tokenizer: unknown,
    opt: Record<string, number>,
  ) => {
    trainStep(state: Record<string, unknown>, batch: { xs: tf.Tensor; ys: tf.Tensor }): tf.Scalar;
  };
};
console.warn = quiet;
await ng.TeachableLLM.selectBackend("cpu");
const model = new ng.models.NanoGPTV1({
  modelType: "GenAI_NanoGPT_v1",
  vocabSize: V,
  blockSize: T,
  nLayer: L,
  nHead: H,
  nEmbed: C,
  mlpFactor: 4,
  useRope: true,
});
const trainer = new BasicTrainer(model, null, { learningRate: 1e-3, weightDecay: 0.1 });
let seed = 12345;
const rand = () => {
  seed = (seed * 1103515245 + 12345) >>> 0;
  return (seed >>> 8) % V;
};
const xs = tf.tensor2d(Int32Array.from({ length: B * T }, rand), [B, T], "int32");
const ys = tf.tensor2d(Int32Array.from({ length: B * T }, rand), [B, T], "int32");
async function step(): Promise<void> {
  const loss = trainer.trainStep({}, { xs, ys });
  await loss.data();
  loss.dispose();
}
for (let i = 0; i < num("warmup"); i++) await step();
const t0 = performance.now();
for (let i = 0; i < num("steps"); i++) await step();
const ms = (performance.now() - t0) / num("steps");
console.log(
  JSON.stringify({
    engine: `nanogpt-${tf.getBackend()}`,
    tokensPerSecond: (B * T * 1000) / ms,
    msPerStep: ms,
    threads: 1,
  }),
);
