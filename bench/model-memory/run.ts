/**
 * Memory check of @llm/model's trainer: a ~10M-parameter GPT at context 256 trains for N steps
 * while RSS and live tensors are sampled after every step. Prints peak RSS, the RSS growth from
 * the end of warm-up to the last step, and whether the tensor count stayed constant.
 * Run: npx tsx --conditions=@llm/source bench/model-memory/run.ts [--steps 12] [--batch 2] [--backend wasm]
 * Leaves out: GPU memory (no GPU here).
 */
import type { Batch, BatchSource } from "@llm/core";
import { GPT, initBackend, Trainer } from "@llm/model";
import * as tf from "@tensorflow/tfjs-core";

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? (args[i + 1] as string) : fallback;
};
const steps = Number(flag("steps", "12"));
const B = Number(flag("batch", "2"));
const T = 256;
const backend = await initBackend(flag("backend", "wasm") as "wasm");

/** Random tokens, seeded: enough to exercise the training step. */
class RandomSource implements BatchSource {
  readonly batchSize = B;
  readonly seqLen = T;
  private state = 1;
  async next(): Promise<Batch> {
    const draw = () => {
      this.state = (this.state * 1103515245 + 12345) >>> 0;
      return (this.state >>> 8) % 6144;
    };
    const stream = Int32Array.from({ length: B * T + 1 }, draw);
    return { inputs: stream.slice(0, B * T), targets: stream.slice(1), batchSize: B, seqLen: T };
  }
  position() {
    return { state: this.state };
  }
  restore(p: Record<string, unknown>) {
    this.state = p.state as number;
  }
}

const model = new GPT({ depth: 5, vocabSize: 6144, seqLen: T }, { seed: 0 });
console.log(
  `backend ${backend.name}; ${(model.parameterCount() / 1e6).toFixed(2)}M parameters, context ${T}, batch ${B}, ${steps} steps`,
);
const rss: number[] = [];
const tensors: number[] = [];
let peak = 0;
const trainer = new Trainer(
  model,
  { totalSteps: steps, lr: 1e-3 },
  {
    onStep: (e) => {
      const r = process.memoryUsage().rss / 2 ** 20;
      peak = Math.max(peak, r);
      rss.push(r);
      tensors.push(tf.memory().numTensors);
      console.log(
        `step ${e.step}: loss ${e.loss.toFixed(3)}, ${Math.round(e.tokensPerSecond ?? 0)} tok/s, RSS ${r.toFixed(0)} MiB, tensors ${tf.memory().numTensors}`,
      );
    },
  },
);
await trainer.run(new RandomSource());
const warm = Math.min(3, rss.length - 1);
const growth = (rss.at(-1) as number) - (rss[warm] as number);
console.log(
  `peak RSS ${peak.toFixed(0)} MiB; RSS growth from step ${warm + 1} to ${steps}: ${growth.toFixed(1)} MiB (${(growth / Math.max(1, steps - warm - 1)).toFixed(2)} MiB/step)`,
);
console.log(`live tensors constant across steps: ${new Set(tensors).size === 1} (${tensors[0]})`);
trainer.dispose();
model.dispose();
