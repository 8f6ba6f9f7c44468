/**
 * KV-cached decoding throughput of two checkouts' @llm/model, timed alternately in child processes
 * under the same load, with the ratio printed: tokens per CPU-second (all threads, which the load
 * of a shared machine distorts least) and per wall second of
 *   rollouts: RL-style sampling, 8 completions x 64 new tokens from one shared prefill
 *     (Generator.generateBatch, temperature 0.7, the pipeline's RL group), and
 *   chat: single-stream greedy decoding of 64 new tokens (Generator.generateAll),
 * on the `small` preset's model (V1024, d128, 4 layers, 4 heads, context 128, tied embeddings,
 * smeared keys, qk gains) with random weights (the default init zeroes the head). Each child also
 * prints a checksum of its tokens, so a change that alters decoding shows as a mismatch.
 * Usage (repo root): npx tsx --conditions=@llm/source bench/generate/decode-trees.ts
 *   [--base /work/wt/27-base] [--rounds 3]   (--base: a checkout with node_modules, e.g. 0f59bac)
 * Leaves out: @llm/rl's generateRollouts (tool calls, per-row stops; the pipeline's rl stage
 * times it), PyTorch (its reference has no KV cache).
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { cpuMs, randomDecoder } from "./random-decoder.js";

const { values } = parseArgs({
  options: {
    base: { type: "string", default: "/work/wt/27-base" },
    rounds: { type: "string", default: "3" },
    child: { type: "string" },
  },
});

interface Result {
  measure: string;
  cpuTokPerS: number;
  tokPerS: number;
  checksum: number;
}

if (values.child !== undefined) {
  const root = values.child;
  type ModelModule = typeof import("@llm/model");
  const m = (await import(`${root}/packages/model/src/index.ts`)) as ModelModule;
  const tf = await import("@tensorflow/tfjs-core");
  await m.initBackend("wasm");
  // the shape of the `small` preset when this bench was written (its tables are on it)
  const shape = {
    vocabSize: 1024,
    nLayer: 4,
    nHead: 4,
    nEmbd: 128,
    seqLen: 128,
    smearKeys: true,
    tieEmbeddings: true,
    qkGain: true,
  };
  const { model, gen, prompt } = randomDecoder(m, tf, shape);
  const checksum = (ids: number[]) => ids.reduce((a, t) => (a * 31 + t) % 1_000_003, 7);
  async function time(measure: string, n: number, fn: () => Promise<number[]>): Promise<Result> {
    await fn(); // warm-up
    const c0 = cpuMs();
    const t0 = performance.now();
    let ids: number[] = [];
    for (let i = 0; i < n; i++) ids = await fn();
    const wall = (performance.now() - t0) / n;
    const cpu = (cpuMs() - c0) / n;
    return {
      measure,
      tokPerS: (ids.length * 1000) / wall,
      cpuTokPerS: (ids.length * 1000) / cpu,
      checksum: checksum(ids),
    };
  }
  const results = [
    await time("rollouts 8 x 64 (shared prefill, T 0.7)", 2, async () =>
      (await gen.generateBatch(prompt, 8, { maxTokens: 64, temperature: 0.7, seed: 1 })).flat(),
    ),
    await time("chat 1 x 64 (greedy)", 2, () => gen.generateAll(prompt, { maxTokens: 64, temperature: 0 })),
  ];
  model.dispose();
  console.log(JSON.stringify(results));
} else {
  const ours = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
  const roots = { ours, base: values.base as string };
  const runs: Record<string, Result[][]> = { ours: [], base: [] };
  for (let r = 0; r < Number(values.rounds); r++) {
    for (const [name, root] of Object.entries(roots)) {
      const out = execFileSync(
        process.execPath,
        [...process.execArgv, fileURLToPath(import.meta.url), "--child", root],
        { encoding: "utf8" },
      );
      const line = out.trim().split("\n").pop() as string;
      runs[name]?.push(JSON.parse(line) as Result[]);
    }
  }
  const best = (name: string, i: number, key: "cpuTokPerS" | "tokPerS") =>
    Math.max(...(runs[name] ?? []).map((rs) => (rs[i] as Result)[key]));
  console.log(`ours ${roots.ours} vs base ${roots.base}, best of ${values.rounds} alternating rounds`);
  for (const [i, first] of (runs.ours?.[0] ?? []).entries()) {
    const same = runs.ours?.every((rs) => rs[i]?.checksum === runs.base?.[0]?.[i]?.checksum);
    const cpu = [best("ours", i, "cpuTokPerS"), best("base", i, "cpuTokPerS")];
    const wall = [best("ours", i, "tokPerS"), best("base", i, "tokPerS")];
    console.log(
      `${first.measure.padEnd(40)} tokens/CPU-s ours ${cpu[0]?.toFixed(0)} base ${cpu[1]?.toFixed(0)} ratio ${((cpu[0] as number) / (cpu[1] as number)).toFixed(2)}x; ` +
        `tokens/s ours ${wall[0]?.toFixed(0)} base ${wall[1]?.toFixed(0)} ratio ${((wall[0] as number) / (wall[1] as number)).toFixed(2)}x; same tokens: ${same}`,
    );
  }
}
