/**
 * The decoding kernels' gain within one process: times KV-cached decoding with @llm/model's
 * decoding-step kernels (LlmKvAppend, LlmDecodeAttention) registered and with them unregistered
 * (the plain tf ops they replace), alternating the two in the same process so that a shared
 * machine's load hits both alike, and checks that both give the same tokens. Measures, per CPU
 * second (this process's user + system time) and per wall second:
 *   chat: single-stream greedy decoding of 64 new tokens (Generator.generateAll), and
 *   rollouts: 8 completions x 64 new tokens from one shared prefill (generateBatch, T 0.7),
 * on the `small` preset's model shape (V1024, d160, 6 layers, 5 heads, context 128, tied
 * embeddings, smeared keys, qk gains) with random weights.
 * Usage (repo root): npx tsx --conditions=@llm/source bench/generate/decode-kernels.ts [--rounds 5]
 * Leaves out: other checkouts (decode-trees.ts compares two), the pipeline's chat engine.
 */
import { parseArgs } from "node:util";
import * as m from "@llm/model";
import * as tf from "@tensorflow/tfjs-core";
import { cpuMs, randomDecoder, SMALL_SHAPE } from "./random-decoder.js";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "5" } } });
const KERNELS = ["LlmKvAppend", "LlmDecodeAttention"];

await m.initBackend("wasm");
const saved = KERNELS.map((name) => tf.getKernel(name, "wasm"));
if (saved.some((k) => k === undefined)) throw new Error("this checkout lacks the decoding kernels");
const setFused = (on: boolean) => {
  for (const [i, name] of KERNELS.entries()) {
    const registered = tf.getKernel(name, "wasm") !== undefined;
    if (on && !registered) tf.registerKernel(saved[i] as tf.KernelConfig);
    if (!on && registered) tf.unregisterKernel(name, "wasm");
  }
};

const { model, gen, prompt } = randomDecoder(m, tf, SMALL_SHAPE);
const measures: Record<string, () => Promise<number[]>> = {
  "chat 1 x 64 (greedy)": () => gen.generateAll(prompt, { maxTokens: 64, temperature: 0 }),
  "rollouts 8 x 64 (shared prefill, T 0.7)": async () =>
    (await gen.generateBatch(prompt, 8, { maxTokens: 64, temperature: 0.7, seed: 1 })).flat(),
};
type Row = { cpu: number[]; wall: number[]; tokens: string[] };
const rows: Record<string, Record<"fused" | "plain", Row>> = {};
for (const name of Object.keys(measures)) {
  rows[name] = { fused: { cpu: [], wall: [], tokens: [] }, plain: { cpu: [], wall: [], tokens: [] } };
}
for (let r = 0; r <= Number(values.rounds); r++) {
  for (const variant of ["fused", "plain"] as const) {
    setFused(variant === "fused");
    for (const [name, fn] of Object.entries(measures)) {
      const c0 = cpuMs();
      const t0 = performance.now();
      const ids = await fn();
      const row = rows[name]?.[variant] as Row;
      if (r === 0) continue; // warm-up
      row.cpu.push((ids.length * 1000) / (cpuMs() - c0));
      row.wall.push((ids.length * 1000) / (performance.now() - t0));
      row.tokens.push(ids.join(","));
    }
  }
}
setFused(true);
model.dispose();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
console.log(`decoding kernels on vs off, ${values.rounds} alternating rounds in one process (median)`);
for (const [name, { fused, plain }] of Object.entries(rows)) {
  const same = [...fused.tokens, ...plain.tokens].every((t) => t === fused.tokens[0]);
  const [fc, pc, fw, pw] = [median(fused.cpu), median(plain.cpu), median(fused.wall), median(plain.wall)];
  console.log(
    `${name.padEnd(40)} tokens/CPU-s kernels ${fc.toFixed(0)} plain ${pc.toFixed(0)} ratio ${(fc / pc).toFixed(2)}x; ` +
      `tokens/s kernels ${fw.toFixed(0)} plain ${pw.toFixed(0)} ratio ${(fw / pw).toFixed(2)}x; same tokens: ${same}`,
  );
}
