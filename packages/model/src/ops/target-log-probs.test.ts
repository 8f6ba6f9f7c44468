import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../init-backend.js";
import { targetLogProbs } from "./target-log-probs.js";

/** The one-hot formulation it replaces, as the reference. */
function oneHotLogProbs(logits: tf.Tensor3D, targets: tf.Tensor2D, temperature: number): tf.Tensor {
  return tf.tidy(() => {
    const logp = tf.logSoftmax(tf.div(logits, temperature)); // [B, T, V]
    return tf.sum(tf.mul(logp, tf.oneHot(targets, logits.shape[2])), 2); // [B, T]
  });
}

describe("targetLogProbs", () => {
  beforeAll(async () => {
    await initBackend("wasm");
  });

  // V 7: gather + logSumExp; V 12: the fused SIMD kernel (V a multiple of 4)
  it.each([7, 12])(
    "equals log softmax at the targets, with the same gradient, and leaks nothing (V %i)",
    (V) => {
      const before = tf.memory().numTensors;
      const logits = tf.randomNormal([2, 3, V], 0, 2, "float32", 5) as tf.Tensor3D;
      const targets = tf.tensor2d(
        [
          [0, 6, 3],
          [2, 2, 5],
        ],
        [2, 3],
        "int32",
      );
      const weights = tf.tensor2d([
        [1, -2, 0.5],
        [3, 1, -1],
      ]);
      for (const temperature of [1, 0.7]) {
        const ours = targetLogProbs(logits, targets, temperature);
        const reference = oneHotLogProbs(logits, targets, temperature);
        expect(ours.shape).toEqual([2, 3]);
        const a = ours.dataSync();
        const b = reference.dataSync();
        for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i] as number, 5);
        const g1 = tf.grad((z: tf.Tensor) =>
          tf.sum(tf.mul(targetLogProbs(z, targets, temperature), weights)),
        )(logits);
        const g2 = tf.grad((z: tf.Tensor) =>
          tf.sum(tf.mul(oneHotLogProbs(z as tf.Tensor3D, targets, temperature), weights)),
        )(logits);
        const d1 = g1.dataSync();
        const d2 = g2.dataSync();
        for (let i = 0; i < d1.length; i++) expect(d1[i]).toBeCloseTo(d2[i] as number, 5);
        tf.dispose([ours, reference, g1, g2]);
      }
      tf.dispose([logits, targets, weights]);
      expect(tf.memory().numTensors).toBe(before);
    },
  );
});
