/**
 * GFLOP/s of the matrix products of one training step (512 tokens per thread, config (a)) on
 * tfjs-backend-wasm's XNNPACK (tf.matMul, untransposed 2-D: its fast path; the transposed
 * operands materialised first, as the old linear gradient did) against our SIMD GEMM, built with
 * relaxed-SIMD fused multiply-add ("fma") and with plain SIMD mul + add ("simd"), in the same
 * process, interleaved, timed in CPU time (a shared machine's load distorts it least).
 * Usage (repo root): npx tsx --conditions=@llm/source bench/train-throughput/gemm.ts [--rounds 3]
 */
import { parseCliOptions } from "@llm/core";
import { initBackend } from "@llm/model";
import * as tf from "@tensorflow/tfjs-core";
import { type SimdExports, simdKernels } from "../../packages/model/src/ops/simd/simd-kernels.js";
import { buildSimdKernels, DEFAULT_MR } from "../../packages/model/src/ops/simd/simd-kernels-source.js";
import { offsetOf, type WasmBackend } from "../../packages/model/src/ops/wasm-backend.js";

const { values } = parseCliOptions(
  process.argv.slice(2),
  { rounds: { type: "string", default: "3" } },
  { allowPositionals: false },
);
await initBackend("wasm");
const backend = tf.backend() as unknown as WasmBackend;
console.log(`our module on this backend: ${simdKernels(backend)?.variant ?? "unavailable"}`); // switches relaxed SIMD on
const memory = (backend.wasm as unknown as { asm: { memory: object } }).asm.memory;
const WA = (
  globalThis as unknown as {
    WebAssembly: {
      Module: new (b: Uint8Array) => object;
      Instance: new (m: object, i: object) => { exports: unknown };
    };
  }
).WebAssembly;
const gemms: Record<string, SimdExports["gemm"]> = {};
for (const fma of [true, false]) {
  const bytes = buildSimdKernels({ fma, mr: DEFAULT_MR });
  gemms[fma ? "ours fma" : "ours simd"] = (
    new WA.Instance(new WA.Module(bytes), { env: { memory } }).exports as SimdExports
  ).gemm;
}
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
/** GFLOP/s of fn over ~150 ms of CPU time after 5 warm-up calls. */
function rate(flop: number, fn: () => void): number {
  for (let i = 0; i < 5; i++) fn();
  const t0 = cpu();
  let reps = 0;
  while (cpu() - t0 < 150) {
    fn();
    reps++;
  }
  return (flop * reps) / ((cpu() - t0) * 1e6);
}
// [M, K, N, transposeA, transposeB, what]
const shapes: Array<[number, number, number, boolean, boolean, string]> = [
  [512, 128, 128, false, false, "q/k/v/proj forward"],
  [512, 128, 512, false, false, "mlp c_fc forward"],
  [512, 512, 128, false, false, "mlp c_proj forward"],
  [512, 128, 4096, false, false, "head forward"],
  [512, 4096, 128, false, true, "head dx = dy W^T"],
  [128, 512, 4096, true, false, "head dW = x^T dy"],
  [512, 128, 512, false, true, "c_fc dx"],
  [128, 512, 128, true, false, "q dW"],
];
const sums: Record<string, number> = {};
const rounds = Number(values.rounds);
console.log("| product | M x K x N | XNNPACK | ours fma | ours simd |\n|---|---|---:|---:|---:|");
for (const [M, K, N, ta, tb, what] of shapes) {
  const per: Record<string, number[]> = {};
  const a = tf.randomNormal(ta ? [K, M] : [M, K]) as tf.Tensor2D;
  const b = tf.randomNormal(tb ? [N, K] : [K, N]) as tf.Tensor2D;
  const c = tf.zeros([M, N]);
  const pack = tf.zeros([K * (N + M)]); // B's panels, then A^T's
  const flop = 2 * M * N * K;
  for (let r = 0; r < rounds; r++) {
    const runs: Record<string, () => void> = {
      XNNPACK: () => tf.tidy(() => tf.matMul(ta ? tf.transpose(a) : a, tb ? tf.transpose(b) : b)).dispose(),
    };
    for (const [name, g] of Object.entries(gemms)) {
      runs[name] = () =>
        g(
          M,
          N,
          K,
          offsetOf(backend, a),
          ta ? 4 : K * 4,
          ta ? M * 4 : 4,
          offsetOf(backend, b),
          tb ? 4 : N * 4,
          tb ? K * 4 : 4,
          offsetOf(backend, c),
          N * 4,
          offsetOf(backend, pack),
          ta ? offsetOf(backend, pack) + K * N * 4 : 0,
        );
    }
    for (const [name, fn] of Object.entries(runs)) {
      const list = per[name] ?? [];
      list.push(rate(flop, fn));
      per[name] = list;
    }
  }
  const med = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;
  const cells = ["XNNPACK", "ours fma", "ours simd"].map((n) => {
    const v = med(per[n] as number[]);
    sums[n] = (sums[n] ?? 0) + flop / v;
    return v.toFixed(1);
  });
  console.log(
    `| ${what} | ${M} x ${K} x ${N}${ta ? " (A^T)" : ""}${tb ? " (B^T)" : ""} | ${cells.join(" | ")} |`,
  );
  tf.dispose([a, b, c, pack]);
}
const total = shapes.reduce((s, [M, K, N]) => s + 2 * M * N * K, 0);
console.log(
  `| all (time-weighted) | | ${["XNNPACK", "ours fma", "ours simd"].map((n) => (total / (sums[n] as number)).toFixed(1)).join(" | ")} |`,
);
