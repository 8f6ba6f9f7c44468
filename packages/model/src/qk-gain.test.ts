import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { decays } from "./adamw.js";
import { computeGradients } from "./compute-gradients.js";
import { GPT } from "./gpt.js";
import { InferenceSession } from "./inference-session.js";
import { initBackend } from "./init-backend.js";
import { countParameters, resolveGptConfig } from "./model-config.js";
import { TINY } from "./test-helpers.js";

beforeAll(async () => {
  await initBackend("wasm");
});

const config = { ...TINY, seqLen: 32, qkGain: true };
// TINY's shape: 2 layers, 2 heads of dim 16, vocabulary 64
const [nLayer, nHead, hs, V] = [2, 2, 16, 64];
const seq = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3];

function logitsOf(model: GPT): Float32Array {
  return tf.tidy(
    () => model.forward(tf.tensor2d([seq], [1, seq.length], "int32")).dataSync() as Float32Array,
  );
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
  return diff;
}

describe("learned attention gain (qkGain)", () => {
  it("adds one gain per head and layer, starts at log2(T^2 - T) / sqrt(head dim), and does not decay", () => {
    const model = new GPT(config, { seed: 1 });
    const gain = model.parameters().get("transformer.h.1.attn.qk_gain");
    expect(gain?.shape).toEqual([1, nHead]);
    for (const g of gain!.dataSync()) expect(g).toBeCloseTo(Math.log2(32 * 32 - 32) / Math.sqrt(hs), 5);
    expect(model.parameterCount()).toBe(countParameters(resolveGptConfig(TINY)) + nLayer * nHead);
    expect(countParameters(resolveGptConfig(config))).toBe(model.parameterCount());
    expect(decays("matrices", "transformer.h.1.attn.qk_gain", [1, nHead])).toBe(false);
    expect(new GPT(TINY, { seed: 1 }).parameters().has("transformer.h.0.attn.qk_gain")).toBe(false);
    model.dispose();
  });

  it("with every gain at 1 equals the model without gains; other gains change it; cached equals full", () => {
    const plain = new GPT(TINY, { seed: 4 });
    plain.setWeights(
      new Map([...plain.parameters()].map(([k, v]) => [k, tf.randomNormal(v.shape, 0, 0.5, "float32", 5)])),
    );
    const weights = new Map<string, tf.Tensor>([...plain.parameters()].map(([k, v]) => [k, v.clone()]));
    for (let i = 0; i < nLayer; i++) weights.set(`transformer.h.${i}.attn.qk_gain`, tf.ones([1, nHead]));
    const gained = GPT.fromWeights(config, weights);
    const reference = logitsOf(plain);
    expect(maxDiff(logitsOf(gained), reference)).toBeLessThan(1e-5);

    weights.get("transformer.h.0.attn.qk_gain")?.dispose();
    weights.set(
      "transformer.h.0.attn.qk_gain",
      tf.tensor2d([Array.from({ length: nHead }, (_, h) => 3 + h)]),
    );
    gained.setWeights(weights);
    const full = logitsOf(gained);
    // the first position attends only to itself, so a sharper attention changes the rest only
    expect(maxDiff(full, reference)).toBeGreaterThan(1e-3);
    const session = new InferenceSession(gained);
    const cached = [session.feed(seq.slice(0, 4)), ...seq.slice(4).map((t) => session.feed([t]))];
    cached.forEach((logits, i) => {
      const pos = i + 3;
      for (let v = 0; v < V; v++) expect(logits[v]).toBeCloseTo(full[pos * V + v] as number, 4);
    });
    session.dispose();
    tf.dispose([...weights.values()]);
    plain.dispose();
    gained.dispose();
  });

  it("gets gradients once the output projections have moved", () => {
    const before = tf.memory().numTensors;
    const model = new GPT(config, { seed: 2 });
    const moved = new Map<string, tf.Tensor>(
      [...model.parameters()].map(([k, v]) => [
        k,
        k.endsWith(".c_proj.weight") || k === "lm_head.weight"
          ? tf.randomNormal(v.shape, 0, 0.1, "float32", 3)
          : v.clone(),
      ]),
    );
    model.setWeights(moved);
    tf.dispose([...moved.values()]);
    const inputs = Int32Array.from({ length: 64 }, (_, i) => (i * 7) % V);
    const targets = Int32Array.from({ length: 64 }, (_, i) => (i * 7 + 7) % V);
    const { grads } = computeGradients(model, { inputs, targets, batchSize: 2, seqLen: 32 });
    const g = grads.get("transformer.h.0.attn.qk_gain")!;
    expect(Math.max(...Array.from(g.dataSync(), Math.abs))).toBeGreaterThan(0);
    for (const t of grads.values()) t.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
