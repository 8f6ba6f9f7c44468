/**
 * The WGSL kernels against the cpu backend's plain tf path: causal attention and the softcapped
 * cross-entropy, values and gradients, on shapes that loop over several lanes (T > 64, V > 64)
 * and with a mask; tf.profile shows the fused kernels ran. No leaked tensors.
 */
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { initBackend } from "../init-backend.js";
import { causalAttention } from "../ops/causal-attention.js";
import { softcapCrossEntropy } from "../ops/softmax-cross-entropy.js";

const maxAbs = (a: ArrayLike<number>) => Array.from(a).reduce((m, x) => Math.max(m, Math.abs(x)), 0);
const relDiff = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Array.from(a).reduce((m, x, i) => Math.max(m, Math.abs(x - (b[i] as number))), 0) /
  Math.max(maxAbs(b), 1e-12);

function normalData(n: number, seed: number): Float32Array {
  let s = seed;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    const u1 = ((s >>> 8) + 1) / 16777217;
    s = (s * 1103515245 + 12345) >>> 0;
    const u2 = (s >>> 8) / 16777216;
    out[i] = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
  return out;
}

/** Value and gradients of sum(f(inputs) * w) on `backend`, all read with await data(). */
async function valueAndGrads(
  backend: "cpu" | "webgpu",
  f: (...xs: tf.Tensor[]) => tf.Tensor,
  inputs: Array<{ data: Float32Array; shape: number[] }>,
): Promise<{ value: Float32Array; grads: Float32Array[]; kernels: string[] }> {
  await initBackend(backend);
  const before = tf.memory().numTensors;
  const xs = inputs.map((x) => tf.tensor(x.data, x.shape));
  let value: Float32Array = new Float32Array(0);
  const grads: Float32Array[] = [];
  const profile = await tf.profile(async () => {
    const y = tf.tidy(() => f(...xs));
    value = (await y.data()) as Float32Array;
    const w = tf.tensor(normalData(y.size, 99), y.shape);
    const gs = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(f(...a), w)))(xs);
    for (const g of gs) grads.push((await g.data()) as Float32Array);
    tf.dispose([y, w, ...gs]);
  });
  tf.dispose(xs);
  expect(tf.memory().numTensors).toBe(before);
  return { value, grads, kernels: profile.kernelNames };
}

describe("WGSL kernels", () => {
  it("causal attention and its backward equal the plain path", async () => {
    const [B, nh, T, hs] = [2, 2, 80, 16];
    const shape = [B, nh, T, hs];
    const inputs = [1, 2, 3].map((seed) => ({ data: normalData(B * nh * T * hs, seed), shape }));
    const f = (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) => causalAttention(q, k, v);
    const ref = await valueAndGrads("cpu", f as never, inputs);
    const gpu = await valueAndGrads("webgpu", f as never, inputs);
    expect(gpu.kernels).toContain("LlmAttentionFwd");
    expect(gpu.kernels).toContain("LlmAttentionBwd");
    expect(relDiff(gpu.value, ref.value)).toBeLessThan(1e-5);
    for (const [i, g] of gpu.grads.entries())
      expect(relDiff(g, ref.grads[i] as Float32Array)).toBeLessThan(1e-4);
  });

  it("softcapped cross-entropy (masked) and its gradient equal the plain path", async () => {
    const [N, V] = [24, 300];
    const targets = Int32Array.from({ length: N }, (_, i) => (i * 37) % V);
    const mask = Float32Array.from({ length: N }, (_, i) => (i % 5 === 0 ? 0 : 1));
    for (const cap of [15, 0]) {
      const f = (x: tf.Tensor) =>
        softcapCrossEntropy(x as tf.Tensor2D, tf.tensor1d(targets, "int32"), cap, tf.tensor1d(mask));
      const logits = { data: normalData(N * V, 7).map((x) => x * 8), shape: [N, V] };
      const ref = await valueAndGrads("cpu", f as never, [logits]);
      const gpu = await valueAndGrads("webgpu", f as never, [logits]);
      expect(gpu.kernels).toContain("LlmSoftmaxCrossEntropy");
      expect(Math.abs((gpu.value[0] as number) - (ref.value[0] as number))).toBeLessThan(1e-5);
      expect(relDiff(gpu.grads[0] as Float32Array, ref.grads[0] as Float32Array)).toBeLessThan(1e-4);
    }
  });
});
