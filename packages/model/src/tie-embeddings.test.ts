import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { computeGradients } from "./compute-gradients.js";
import { GPT } from "./gpt.js";
import { initBackend } from "./init-backend.js";
import { countParameters, resolveGptConfig } from "./model-config.js";
import { TINY } from "./test-helpers.js";

beforeAll(async () => {
  await initBackend("wasm");
});

// TINY: vocabulary 64, width 32
const [V, C] = [64, 32];
const tied = { ...TINY, tieEmbeddings: true };

describe("tied embeddings", () => {
  it("drop lm_head.weight and start the embedding at N(0, 1/sqrt(C))", () => {
    const model = new GPT(tied, { seed: 1 });
    expect(model.parameters().has("lm_head.weight")).toBe(false);
    expect(model.parameterCount()).toBe(countParameters(resolveGptConfig(TINY)) - C * V);
    expect(countParameters(resolveGptConfig(tied))).toBe(model.parameterCount());
    const wte = Array.from(model.parameters().get("transformer.wte.weight")!.dataSync());
    const std = Math.sqrt(wte.reduce((s, x) => s + x * x, 0) / wte.length);
    expect(std).toBeGreaterThan(0.8 / Math.sqrt(C));
    expect(std).toBeLessThan(1.2 / Math.sqrt(C));
    model.dispose();
  });

  it("equal an untied model whose head is the transposed embedding, in logits and in gradients", () => {
    const before = tf.memory().numTensors;
    const model = new GPT(tied, { seed: 2 });
    const weights = new Map<string, tf.Tensor>([...model.parameters()].map(([k, v]) => [k, v.clone()]));
    weights.set("lm_head.weight", tf.transpose(weights.get("transformer.wte.weight")!));
    // nonzero output projections, so that every weight gets a gradient
    for (const [k, v] of weights)
      if (k.endsWith(".c_proj.weight")) {
        weights.set(k, tf.randomNormal(v.shape, 0, 0.1, "float32", 7));
        v.dispose();
      }
    model.setWeights(weights);
    const untied = GPT.fromWeights(TINY, weights);
    tf.dispose([...weights.values()]);
    const ids = tf.tensor2d([[1, 5, 9, 5, 1, 7, 3, 2]], [1, 8], "int32");
    const a = tf.tidy(() => model.forward(ids).dataSync());
    const b = tf.tidy(() => untied.forward(ids).dataSync());
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i] as number, 5);
    ids.dispose();

    const inputs = Int32Array.from({ length: 32 }, (_, i) => (i * 7) % V);
    const targets = Int32Array.from({ length: 32 }, (_, i) => (i * 7 + 7) % V);
    const batch = { inputs, targets, batchSize: 2, seqLen: 16 };
    const g1 = computeGradients(model, batch);
    const g2 = computeGradients(untied, batch);
    expect(g1.loss).toBeCloseTo(g2.loss, 5);
    expect(g1.grads.has("lm_head.weight")).toBe(false);
    // the tied table's gradient is the embedding's plus the transposed head's
    const expected = tf.tidy(() =>
      tf
        .add(g2.grads.get("transformer.wte.weight")!, tf.transpose(g2.grads.get("lm_head.weight")!))
        .dataSync(),
    );
    const got = g1.grads.get("transformer.wte.weight")!.dataSync();
    for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(expected[i] as number, 4);
    for (const g of [...g1.grads.values(), ...g2.grads.values()]) g.dispose();
    model.dispose();
    untied.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
