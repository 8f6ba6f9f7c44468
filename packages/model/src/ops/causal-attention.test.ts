/**
 * The one attention, cached against uncached: attending T new queries over a KV cache of
 * Tpast + T keys gives the last T rows of the full causal attention over all Tpast + T
 * positions, on cpu (plain ops both ways) and on wasm (the full attention on the fused kernels,
 * the cached one on plain ops), for one decoding query and for several, with no leaked tensors.
 */
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-wasm";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { causalAttention } from "./causal-attention.js";
import { registerWasmKernels } from "./register-wasm-kernels.js";

const r = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 2, "float32", seed);

/** Full attention's last T rows, and cached attention of those T queries, as arrays. */
function fullAndCached(total: number, T: number, hs: number): { full: Float32Array; cached: Float32Array } {
  return tf.tidy(() => {
    const shape = [2, 3, total, hs];
    const [q, k, v] = [r(shape, 1), r(shape, 2), r(shape, 3)];
    const full = tf.slice(causalAttention(q, k, v), [0, 0, total - T, 0], [2, 3, T, hs]); // [B, nh, T, hs]
    const qNew = tf.slice(q, [0, 0, total - T, 0], [2, 3, T, hs]); // [B, nh, T, hs]
    const cached = causalAttention(qNew, k, v); // [B, nh, T, hs]
    expect(cached.shape).toEqual([2, 3, T, hs]);
    return { full: full.dataSync() as Float32Array, cached: cached.dataSync() as Float32Array };
  });
}

describe("causalAttention with a KV cache", () => {
  beforeAll(async () => {
    await tf.setBackend("wasm");
    await tf.ready();
    registerWasmKernels();
  });

  for (const backend of ["cpu", "wasm"]) {
    for (const [total, T, hs] of [
      [9, 1, 4],
      [9, 3, 4],
      [40, 1, 8],
      [40, 8, 8],
      [5, 5, 4],
    ] as const) {
      it(`${backend}: ${T} new queries over ${total} keys equal the full attention's last rows`, async () => {
        await tf.setBackend(backend);
        const before = tf.memory().numTensors;
        const { full, cached } = fullAndCached(total, T, hs);
        expect(tf.memory().numTensors).toBe(before);
        expect(cached.length).toBe(full.length);
        for (let i = 0; i < full.length; i++) {
          expect(Math.abs((cached[i] as number) - (full[i] as number))).toBeLessThan(1e-5);
        }
      });
    }
  }
});
