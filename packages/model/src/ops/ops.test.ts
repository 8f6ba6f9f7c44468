/**
 * Every op on tfjs-backend-wasm (fused kernels) against the same op on tfjs-backend-cpu (plain
 * tf ops, autodiff): values and gradients within float tolerance, and no leaked tensors.
 */
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-wasm";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  adamwUpdate,
  causalAttention,
  embeddingLookup,
  linear,
  linearTransposed,
  registerWasmKernels,
  reluSquared,
  rmsNorm,
  ropeNormHeads,
  smearKeys,
  softcapCrossEntropy,
  softmaxCrossEntropy,
} from "./index.js";

type Case = () => tf.Tensor[];

const r = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, "float32", seed);

/** Each case returns outputs and gradients (w.r.t. all float inputs) of one op, seeded. */
const cases: Record<string, Case> = {
  linear: () => {
    const x = r([6, 5], 1) as tf.Tensor2D;
    const w = r([5, 7], 2) as tf.Tensor2D;
    const probe = r([6, 7], 3);
    const f = (a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(linear(a as tf.Tensor2D, b as tf.Tensor2D), probe));
    return [linear(x, w), ...tf.grads(f)([x, w])];
  },
  "linear on the SIMD GEMM (widths a multiple of 8, odd rows and depth)": () => {
    const x = r([37, 24], 41) as tf.Tensor2D;
    const w = r([24, 40], 42) as tf.Tensor2D;
    const probe = r([37, 40], 43);
    const f = (a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(linear(a as tf.Tensor2D, b as tf.Tensor2D), probe));
    return [linear(x, w), ...tf.grads(f)([x, w])];
  },
  "linear with few rows (forward on XNNPACK, gradients on the SIMD GEMM)": () => {
    const x = r([5, 24], 59) as tf.Tensor2D;
    const w = r([24, 16], 60) as tf.Tensor2D;
    const probe = r([5, 16], 61);
    const f = (a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(linear(a as tf.Tensor2D, b as tf.Tensor2D), probe));
    return [linear(x, w), ...tf.grads(f)([x, w])];
  },
  "linearTransposed (a tied head: x @ w^T; SIMD GEMM, A^T packed in dw)": () => {
    const x = r([37, 24], 68) as tf.Tensor2D;
    const w = r([40, 24], 69) as tf.Tensor2D;
    const probe = r([37, 40], 70);
    const f = (a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(linearTransposed(a as tf.Tensor2D, b as tf.Tensor2D), probe));
    return [linearTransposed(x, w), ...tf.grads(f)([x, w])];
  },
  "linearTransposed with few rows and an odd width (tf.matMul)": () => {
    const x = r([5, 6], 71) as tf.Tensor2D;
    const w = r([7, 6], 72) as tf.Tensor2D;
    const probe = r([5, 7], 73);
    const f = (a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(linearTransposed(a as tf.Tensor2D, b as tf.Tensor2D), probe));
    return [linearTransposed(x, w), ...tf.grads(f)([x, w])];
  },
  causalAttention: () => {
    const [q, k, v] = [r([2, 3, 9, 4], 4), r([2, 3, 9, 4], 5), r([2, 3, 9, 4], 6)];
    const probe = r([2, 3, 9, 4], 7);
    const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(causalAttention(a, b, c), probe));
    return [causalAttention(q, k, v), ...tf.grads(f)([q, k, v])];
  },
  "causalAttention on the SIMD module (T and hs multiples of 8; causal blocks 32, 32, 8)": () => {
    const shape = [2, 2, 72, 8];
    const [q, k, v] = [r(shape, 46), r(shape, 47), r(shape, 48)].map((t) => tf.mul(t, 2));
    const probe = r(shape, 49);
    const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(causalAttention(a, b, c), probe));
    return [
      causalAttention(q as tf.Tensor, k as tf.Tensor, v as tf.Tensor),
      ...tf.grads(f)([q, k, v] as tf.Tensor[]),
    ];
  },
  "causalAttention with a longer key cache": () => {
    const [q, k, v] = [r([1, 2, 3, 4], 8), r([1, 2, 7, 4], 9), r([1, 2, 7, 4], 10)];
    return [causalAttention(q, k, v)];
  },
  "embeddingLookup, repeated ids (scatter-add), float ids": () => {
    const table = r([9, 8], 74) as tf.Tensor2D;
    const ids = tf.tensor2d([8, 0, 8, 8, 3, 0, 1, 2], [4, 2], "float32");
    const probe = r([4, 2, 8], 75);
    const f = (t: tf.Tensor) => tf.sum(tf.mul(embeddingLookup(t as tf.Tensor2D, ids), probe));
    return [embeddingLookup(table, ids), tf.grad(f)(table)];
  },
  embeddingLookup: () => {
    const table = r([11, 4], 11) as tf.Tensor2D;
    const ids = tf.tensor2d([1, 2, 3, 3, 3, 10], [2, 3], "int32");
    const probe = r([2, 3, 4], 12);
    const f = (t: tf.Tensor) => tf.sum(tf.mul(embeddingLookup(t as tf.Tensor2D, ids), probe));
    return [embeddingLookup(table, ids), tf.grad(f)(table)];
  },
  softmaxCrossEntropy: () => {
    const logits = tf.mul(r([6, 13], 13), 3) as tf.Tensor2D;
    const targets = tf.tensor1d([0, 12, 5, 5, 7, 1], "int32");
    const f = (x: tf.Tensor) => softmaxCrossEntropy(x as tf.Tensor2D, targets);
    return [f(logits), tf.grad(f)(logits)];
  },
  "softcapCrossEntropy with a mask": () => {
    const logits = tf.mul(r([6, 13], 14), 20) as tf.Tensor2D;
    const targets = tf.tensor1d([0, 12, 5, 5, 7, 1], "int32");
    const mask = tf.tensor1d([1, 0, 1, 1, 0, 1]);
    const f = (x: tf.Tensor) => softcapCrossEntropy(x as tf.Tensor2D, targets, 15, mask);
    return [f(logits), tf.grad(f)(logits)];
  },
  "softcapCrossEntropy on the SIMD rows (V a multiple of 4), masked": () => {
    const logits = tf.mul(r([7, 36], 44), 20) as tf.Tensor2D;
    const targets = tf.tensor1d([0, 35, 5, 5, 7, 1, 20], "int32");
    const mask = tf.tensor1d([1, 0, 1, 1, 0.5, 1, 1]);
    const f = (x: tf.Tensor) => softcapCrossEntropy(x as tf.Tensor2D, targets, 15, mask);
    return [f(logits), tf.grad(f)(logits)];
  },
  "softmaxCrossEntropy on the SIMD rows (V a multiple of 4)": () => {
    const logits = tf.mul(r([5, 24], 45), 4) as tf.Tensor2D;
    const targets = tf.tensor1d([0, 23, 5, 11, 7], "int32");
    const f = (x: tf.Tensor) => softmaxCrossEntropy(x as tf.Tensor2D, targets);
    return [f(logits), tf.grad(f)(logits)];
  },
  rmsNorm: () => {
    const x = r([2, 5, 8], 15);
    const probe = r([2, 5, 8], 16);
    return [rmsNorm(x), tf.grad((a: tf.Tensor) => tf.sum(tf.mul(rmsNorm(a), probe)))(x)];
  },
  reluSquared: () => {
    const x = r([4, 9], 17);
    const probe = r([4, 9], 18);
    return [reluSquared(x), tf.grad((a: tf.Tensor) => tf.sum(tf.mul(reluSquared(a), probe)))(x)];
  },
  ropeNormHeads: () => {
    const [B, T, nh, hs] = [2, 5, 3, 4];
    const x = r([B * T, nh * hs], 19) as tf.Tensor2D;
    const cos = tf.randomUniform([T, hs / 2], -1, 1, "float32", 20);
    const sin = tf.randomUniform([T, hs / 2], -1, 1, "float32", 21);
    const probe = r([B, nh, T, hs], 22);
    const f = (a: tf.Tensor) => tf.sum(tf.mul(ropeNormHeads(a as tf.Tensor2D, B, T, nh, cos, sin), probe));
    return [ropeNormHeads(x, B, T, nh, cos, sin), tf.grad(f)(x)];
  },
  smearKeys: () => {
    const k = r([2, 3, 6, 4], 62) as tf.Tensor4D;
    const gate = tf.mul(r([1, 3], 63), 2) as tf.Tensor2D;
    const probe = r([2, 3, 6, 4], 64);
    const f = (a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(smearKeys(a as tf.Tensor4D, b as tf.Tensor2D), probe));
    return [smearKeys(k, gate), ...tf.grads(f)([k, gate])];
  },
  "smearKeys, one position (a cached generation step)": () => {
    const k = r([2, 3, 1, 4], 65) as tf.Tensor4D;
    const gate = r([1, 3], 66) as tf.Tensor2D;
    const probe = r([2, 3, 1, 4], 67);
    const f = (a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(smearKeys(a as tf.Tensor4D, b as tf.Tensor2D), probe));
    return [smearKeys(k, gate), ...tf.grads(f)([k, gate])];
  },
  "ropeNormHeads on the SIMD module (half a head a multiple of 4)": () => {
    const [B, T, nh, hs] = [2, 5, 3, 8];
    const x = tf.mul(r([B * T, nh * hs], 76), 3) as tf.Tensor2D;
    const cos = tf.randomUniform([T, hs / 2], -1, 1, "float32", 77);
    const sin = tf.randomUniform([T, hs / 2], -1, 1, "float32", 78);
    const probe = r([B, nh, T, hs], 79);
    const f = (a: tf.Tensor) => tf.sum(tf.mul(ropeNormHeads(a as tf.Tensor2D, B, T, nh, cos, sin), probe));
    return [ropeNormHeads(x, B, T, nh, cos, sin), tf.grad(f)(x)];
  },
  "reluSquared, odd size (JS loop)": () => {
    const x = r([3, 5], 50);
    const probe = r([3, 5], 51);
    return [reluSquared(x), tf.grad((a: tf.Tensor) => tf.sum(tf.mul(reluSquared(a), probe)))(x)];
  },
  "rmsNorm, odd width (JS loop)": () => {
    const x = r([3, 7], 52);
    const probe = r([3, 7], 53);
    return [rmsNorm(x), tf.grad((a: tf.Tensor) => tf.sum(tf.mul(rmsNorm(a), probe)))(x)];
  },
  "adamwUpdate on the SIMD module (size a multiple of 4)": () => {
    const [p, g, m] = [r([4, 6], 54), r([4, 6], 55), r([4, 6], 56)];
    const v = tf.abs(r([4, 6], 57));
    const c = { lr: 0.01, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1, bc1: 0.19, bc2: 0.0975 };
    return adamwUpdate(p, g, m, v, c);
  },
  adamwUpdate: () => {
    const [p, g, m] = [r([3, 7], 25), r([3, 7], 26), r([3, 7], 27)];
    const v = tf.abs(r([3, 7], 28));
    const c = { lr: 0.01, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1, bc1: 0.19, bc2: 0.0975 };
    return adamwUpdate(p, g, m, v, c);
  },
  "transpose (2-D, batched last-two-axes, rank-4 [0, 2, 1, 3])": () => {
    const x = r([37, 70], 23);
    const y = r([3, 33, 5], 24);
    const z = r([2, 5, 3, 4], 58);
    const zi = tf.cast(tf.mul(z, 100), "int32");
    return [
      tf.transpose(x),
      tf.transpose(y, [0, 2, 1]),
      tf.transpose(y, [1, 0, 2]),
      tf.transpose(z, [0, 2, 1, 3]),
      tf.cast(tf.transpose(zi, [0, 2, 1, 3]), "float32"),
    ];
  },
};

async function runOn(backend: string, c: Case): Promise<{ values: Float32Array[]; leaked: number }> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const values = tf.tidy(() => c().map((t) => t.dataSync() as Float32Array));
  return { values, leaked: tf.memory().numTensors - before };
}

describe("ops: wasm kernels match plain tf ops on cpu", () => {
  beforeAll(async () => {
    await tf.setBackend("wasm");
    await tf.ready();
    registerWasmKernels();
  });

  for (const [name, c] of Object.entries(cases)) {
    it(name, async () => {
      const cpu = await runOn("cpu", c);
      const wasm = await runOn("wasm", c);
      expect(cpu.leaked).toBe(0);
      expect(wasm.leaked).toBe(0);
      expect(wasm.values.length).toBe(cpu.values.length);
      cpu.values.forEach((expected, i) => {
        const actual = wasm.values[i] as Float32Array;
        expect(actual.length).toBe(expected.length);
        let scale = 1e-3;
        for (const e of expected) scale = Math.max(scale, Math.abs(e));
        for (let j = 0; j < expected.length; j++) {
          expect(Math.abs((actual[j] as number) - (expected[j] as number))).toBeLessThan(2e-5 * scale);
        }
      });
    });
  }

  it("registerWasmKernels is idempotent", () => {
    registerWasmKernels();
    registerWasmKernels();
    expect(tf.getKernel("UnsortedSegmentSum", "wasm")).toBeDefined();
  });

  it("a GPT-sized step on wasm leaks nothing and gives finite gradients", async () => {
    await tf.setBackend("wasm");
    const before = tf.memory().numTensors;
    const [B, T, nh, hs, V] = [2, 16, 2, 8, 50];
    const C = nh * hs;
    const [table, wq, head] = tf.tidy(() => [
      tf.variable(r([V, C], 30)) as tf.Variable<tf.Rank.R2>,
      tf.variable(r([C, C], 31)) as tf.Variable<tf.Rank.R2>,
      tf.variable(r([C, V], 32)) as tf.Variable<tf.Rank.R2>,
    ]);
    const ids = tf.tensor1d(
      Array.from({ length: B * T }, (_, i) => (i * 7) % V),
      "int32",
    );
    const targets = tf.tensor1d(
      Array.from({ length: B * T }, (_, i) => (i * 3 + 1) % V),
      "int32",
    );
    const cos = tf.ones([T, hs / 2]);
    const sin = tf.zeros([T, hs / 2]);
    const { value, grads } = tf.variableGrads(() => {
      const x = rmsNorm(embeddingLookup(table, ids) as tf.Tensor2D); // [N, C]
      const q = ropeNormHeads(linear(x, wq), B, T, nh, cos, sin); // [B, nh, T, hs]
      const y = tf.reshape(tf.transpose(causalAttention(q, q, q), [0, 2, 1, 3]), [B * T, C]) as tf.Tensor2D;
      return softcapCrossEntropy(linear(reluSquared(y), head), targets, 15);
    });
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    for (const g of Object.values(grads)) {
      const total = tf.tidy(() => tf.sum(tf.abs(g)));
      expect(Number.isFinite(total.dataSync()[0])).toBe(true);
      total.dispose();
    }
    tf.dispose([value, ...Object.values(grads), table, wq, head, ids, targets, cos, sin]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
