import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../init-backend.js";
import { causalAttention } from "./causal-attention.js";

beforeAll(async () => {
  await initBackend("wasm");
});

describe("single-query attention on wasm (a decoding step)", () => {
  for (const Tk of [2, 9, 57]) {
    it(`is bit-identical to matMul, scale, softmax, matMul in tf ops (Tk ${Tk}) and leaks nothing`, () => {
      const [B, nh, hs] = [2, 3, 8];
      const q = tf.randomNormal([B, nh, 1, hs], 0, 2, "float32", 1);
      const k = tf.randomNormal([B, nh, Tk, hs], 0, 2, "float32", 2);
      const v = tf.randomNormal([B, nh, Tk, hs], 0, 1, "float32", 3);
      const before = tf.memory().numTensors;
      const dataIds = tf.engine().backend.numDataIds(); // the kernel's temporaries are freed too
      const fused = tf.tidy(() => Array.from(causalAttention(q, k, v).dataSync()));
      const plain = tf.tidy(() => {
        const scores = tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(hs)); // [B, nh, 1, Tk]
        return Array.from(tf.matMul(tf.softmax(scores), v).dataSync()); // [B, nh, 1, hs]
      });
      expect(tf.memory().numTensors).toBe(before);
      expect(tf.engine().backend.numDataIds()).toBe(dataIds);
      expect(fused).toEqual(plain);
      expect(fused).toHaveLength(B * nh * hs);
      // each output is a convex mix of the values: within their range per channel
      const vs = v.arraySync() as number[][][][];
      const lo = Math.min(...vs[1]![2]!.map((row) => row[5]!));
      const hi = Math.max(...vs[1]![2]!.map((row) => row[5]!));
      const y = fused[(1 * nh + 2) * hs + 5] as number;
      expect(y).toBeGreaterThanOrEqual(lo - 1e-6);
      expect(y).toBeLessThanOrEqual(hi + 1e-6);
      tf.dispose([q, k, v]);
    });
  }
});
