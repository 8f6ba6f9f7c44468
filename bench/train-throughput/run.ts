/**
 * Training throughput, ours against PyTorch at its best: alternating runs (each in its own
 * process, both allowed every core) of our trainer on tfjs-backend-wasm (data-parallel over
 * worker threads) and of the PyTorch reference of the same architecture (bench/reference/gpt.py,
 * same config, batch, sequence length and AdamW), for (a) d_model 128, 4 layers, 4 heads,
 * context 128, batch 8, vocab 4096, (b) the model the pipeline's default preset ("small") had
 * when issue 27 was filed (4 x 128, batch 16) and, with --config p, the preset's model today
 * (6 x 160, plain blocks on both sides).
 * PyTorch runs on every setting of torch threads 1..cores x OPENBLAS_NUM_THREADS 1..cores each
 * round (OpenBLAS's own threads fight torch's, so the best setting differs between machines);
 * the best is kept and named. Prints tokens/s of each, ours/PyTorch-best (median over rounds),
 * the same ratio in tokens per CPU-second (ours: all its threads; PyTorch: its most efficient
 * setting), which a shared machine's load distorts least, and the load average around each round. With --side, also our
 * trainer on tfjs-backend-cpu and single-threaded wasm, and the TypeScript peer @genai-fi/nanogpt.
 * Usage (repo root): npx tsx --conditions=@llm/source bench/train-throughput/run.ts
 *   [--rounds 3] [--steps 5] [--side] [--config a|b|p|ab|abp]
 */
import { execFile } from "node:child_process";
import { availableParallelism, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { parseCliOptions } from "@llm/core";

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseCliOptions(
  process.argv.slice(2),
  {
    rounds: { type: "string", default: "3" },
    steps: { type: "string", default: "5" },
    side: { type: "boolean", default: false },
    config: { type: "string", default: "ab" },
  },
  { allowPositionals: false },
);
const rounds = Number(values.rounds);
const steps = Number(values.steps);
const cores = availableParallelism();

interface Config {
  name: string;
  vocab: number;
  embd: number;
  layers: number;
  heads: number;
  seq: number;
  batch: number;
}
const allConfigs: Record<string, Config> = {
  a: {
    name: "(a) d128 L4 H4 T128 B8 V4096",
    vocab: 4096,
    embd: 128,
    layers: 4,
    heads: 4,
    seq: 128,
    batch: 8,
  },
  // apps/pipeline preset "small" (the default): nLayer 4, nEmbd 128, nHead 4, seqLen 128,
  // batch 16, tokenizer vocab 1024
  b: {
    name: "(b) pipeline 'small' d128 L4 T128 B16 V1024",
    vocab: 1024,
    embd: 128,
    layers: 4,
    heads: 4,
    seq: 128,
    batch: 16,
  },
  // the preset's model today (6 x 160, 5 heads, batch 8; the speedup paid for it), as plain
  // blocks on both sides: the reference has no smeared keys, tied embeddings or QK gains
  p: {
    name: "(p) preset 'small' today d160 L6 H5 T128 B8 V1024",
    vocab: 1024,
    embd: 160,
    layers: 6,
    heads: 5,
    seq: 128,
    batch: 8,
  },
};
const configs = [...(values.config as string)].map((k) => allConfigs[k]).filter((c) => c !== undefined);

interface Result {
  engine: string;
  tokensPerSecond: number;
  /** Tokens per CPU-second of all the process's threads (load changes it least). */
  cpuTokensPerSecond: number;
  msPerStep: number;
  threads: number;
  peakRssMiB?: number;
}

function args(c: Config): string[] {
  return [
    "--vocab",
    `${c.vocab}`,
    "--embd",
    `${c.embd}`,
    "--layers",
    `${c.layers}`,
    "--heads",
    `${c.heads}`,
    "--seq",
    `${c.seq}`,
    "--batch",
    `${c.batch}`,
  ];
}

async function json(cmd: string, argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<Result> {
  const { stdout } = await run(cmd, argv, { maxBuffer: 1 << 24, timeout: 30 * 60_000, env });
  const line = stdout
    .trim()
    .split("\n")
    .reverse()
    .find((l) => l.startsWith("{"));
  if (line === undefined) throw new Error(`no result from ${cmd} ${argv.join(" ")}:\n${stdout}`);
  return JSON.parse(line) as Result;
}

const tsx = ["--import", "tsx", "--conditions=@llm/source"];
const ours = (c: Config, backend: string, workers: number, n = steps) =>
  json(process.execPath, [
    ...tsx,
    join(here, "ours.ts"),
    ...args(c),
    "--backend",
    backend,
    "--workers",
    `${workers}`,
    "--steps",
    `${n}`,
  ]);
const torch = (c: Config, threads: number, blas: number) =>
  json(
    "/usr/bin/python3",
    [join(here, "torch_train.py"), ...args(c), "--steps", `${steps}`, "--threads", `${threads}`],
    { ...process.env, OPENBLAS_NUM_THREADS: `${blas}`, OMP_NUM_THREADS: `${threads}` },
  );
const nanogpt = (c: Config) =>
  json(process.execPath, [...tsx, join(here, "nanogpt.ts"), ...args(c), "--steps", "1", "--warmup", "1"]);

/** Every torch threads x OpenBLAS threads setting once; the fastest, named. */
async function torchBest(
  c: Config,
): Promise<{ best: Result; setting: string; all: string[]; bestCpu: number }> {
  let best: Result | undefined;
  let bestCpu = 0;
  let setting = "";
  const all: string[] = [];
  for (let t = 1; t <= cores; t++) {
    for (let b = 1; b <= cores; b++) {
      const r = await torch(c, t, b);
      const name = `torch ${t} x OpenBLAS ${b}`;
      all.push(`${name}: ${r.tokensPerSecond.toFixed(0)} (${r.cpuTokensPerSecond.toFixed(0)} per CPU-s)`);
      bestCpu = Math.max(bestCpu, r.cpuTokensPerSecond);
      if (best === undefined || r.tokensPerSecond > best.tokensPerSecond) {
        best = r;
        setting = name;
      }
    }
  }
  return { best: best as Result, setting, all, bestCpu };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length / 2;
  return s.length % 2 === 1 ? (s[Math.floor(m)] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const fmt = (x: number) => x.toFixed(0).padStart(7);
const load = () => loadavg()[0]?.toFixed(1) ?? "?";

console.log(
  `${cores} cores; ours: tfjs-backend-wasm, main thread + ${cores - 1} worker(s); PyTorch: best of torch threads 1..${cores} x OPENBLAS_NUM_THREADS 1..${cores}\n`,
);
const summary: string[] = [];
const oursMedian: number[] = [];
for (const c of configs) {
  const mine: number[] = [];
  const theirs: number[] = [];
  const ratios: number[] = [];
  const cpuRatios: number[] = [];
  const settings = new Map<string, number>();
  const loads: string[] = [];
  for (let r = 0; r < rounds; r++) {
    const before = load();
    const a = await ours(c, "wasm", cores - 1);
    const { best, setting, all, bestCpu } = await torchBest(c);
    loads.push(`${before}-${load()}`);
    mine.push(a.tokensPerSecond);
    theirs.push(best.tokensPerSecond);
    ratios.push(a.tokensPerSecond / best.tokensPerSecond);
    cpuRatios.push(a.cpuTokensPerSecond / bestCpu);
    settings.set(setting, (settings.get(setting) ?? 0) + 1);
    console.log(
      `${c.name} round ${r + 1} (load ${loads[r]}): ours ${fmt(a.tokensPerSecond)} tok/s (peak RSS ${a.peakRssMiB} MiB), PyTorch best ${fmt(best.tokensPerSecond)} tok/s (${setting}; ${all.join(", ")}), ratio ${(a.tokensPerSecond / best.tokensPerSecond).toFixed(2)}; per CPU-second ours ${fmt(a.cpuTokensPerSecond)}, PyTorch best ${fmt(bestCpu)}, ratio ${(a.cpuTokensPerSecond / bestCpu).toFixed(2)}`,
    );
  }
  oursMedian.push(median(mine));
  const named = [...settings].sort((x, y) => y[1] - x[1]).map(([s, n]) => `${s} (${n}/${rounds})`);
  summary.push(
    `| ${c.name} | ${fmt(median(mine))} | ${fmt(median(theirs))} | ${named.join(", ")} | ${median(ratios).toFixed(2)} | ${median(cpuRatios).toFixed(2)} | ${loads.join(", ")} |`,
  );
}
console.log(
  "\n| config | ours tok/s | PyTorch best tok/s | PyTorch best setting | ours/PyTorch-best (median of rounds) | same, tokens per CPU-second | load average per round |\n|---|---:|---:|---|---:|---:|---|",
);
for (const line of summary) console.log(line);
if (values.side) {
  const a = allConfigs.a as Config;
  const side: string[] = [];
  const single = await ours(a, "wasm", 0);
  side.push(`| ours, wasm, 1 thread | ${fmt(single.tokensPerSecond)} |`);
  const torch1 = await torch(a, 1, 1);
  side.push(`| PyTorch, 1 thread, OpenBLAS 1 | ${fmt(torch1.tokensPerSecond)} |`);
  const cpu = await ours(a, "cpu", 0, 1);
  side.push(`| ours, tfjs-backend-cpu, 1 thread | ${fmt(cpu.tokensPerSecond)} |`);
  try {
    const peer = await nanogpt(a);
    side.push(`| @genai-fi/nanogpt 1.3.0, its cpu backend | ${fmt(peer.tokensPerSecond)} |`);
    const ratio = (oursMedian[0] as number) / peer.tokensPerSecond;
    side.push(`| ratio ours (wasm, all cores) / nanogpt | ${ratio.toFixed(1)}x |`);
  } catch (error) {
    side.push(`| @genai-fi/nanogpt 1.3.0 | failed: ${(error as Error).message.split("\n")[0]} |`);
  }
  console.log("\nconfig (a), side by side\n| engine | tok/s |\n|---|---:|");
  for (const line of side) console.log(line);
}
