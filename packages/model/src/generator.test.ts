import { Rng } from "@llm/core";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Generator } from "./generator.js";
import { GPT } from "./gpt.js";
import { disposeSnapshot, InferenceSession } from "./inference-session.js";
import { initBackend } from "./init-backend.js";
import { argmax, sampleToken } from "./sample-token.js";
import { TINY } from "./test-helpers.js";

let model: GPT;
beforeAll(async () => {
  await initBackend("wasm");
  model = new GPT({ ...TINY, seqLen: 32 }, { seed: 11 });
  // random weights everywhere (the default init zeroes the head, which makes every logit equal)
  model.setWeights(
    new Map([...model.parameters()].map(([k, v]) => [k, tf.randomNormal(v.shape, 0, 0.5, "float32", 3)])),
  );
});
afterAll(() => model.dispose());

const prompt = [1, 5, 9, 2];

describe("InferenceSession", () => {
  it("returns the same last-position logits as a full forward pass, token by token", () => {
    const session = new InferenceSession(model);
    const seq = [3, 1, 4, 1, 5, 9, 2, 6];
    const cached = [session.feed(seq.slice(0, 3)), ...seq.slice(3).map((t) => session.feed([t]))];
    expect(session.length).toBe(seq.length);
    const full = tf.tidy(() => model.forward(tf.tensor2d([seq], [1, seq.length], "int32")).dataSync());
    cached.forEach((logits, i) => {
      const pos = i + 2;
      const ref = full.slice(pos * 64, (pos + 1) * 64);
      for (let v = 0; v < 64; v++) expect(logits[v]).toBeCloseTo(ref[v] as number, 4);
    });
    // a multi-token feed onto a non-empty cache (a tool output forced into the stream)
    session.reset();
    session.feed(seq.slice(0, 5));
    const forced = session.feed(seq.slice(5));
    for (let v = 0; v < 64; v++) expect(forced[v]).toBeCloseTo(full[7 * 64 + v] as number, 4);
    session.dispose();
  });

  it("leaks no tensors and restarts from recent tokens when the context overflows", () => {
    const before = tf.memory().numTensors;
    const session = new InferenceSession(model);
    session.feed([1, 2, 3]);
    for (let i = 0; i < 40; i++) session.feed([i % 64]);
    expect(session.length).toBeLessThanOrEqual(32);
    expect(session.length).toBeGreaterThanOrEqual(16);
    session.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("restores a snapshot: the same tokens fed after it give the same logits, bit for bit", () => {
    const before = tf.memory().numTensors;
    const session = new InferenceSession(model);
    session.feed(prompt);
    const snapshot = session.snapshot();
    const first = [session.feed([7]), session.feed([8, 9]), session.feed([3])];
    session.feed([12, 13, 14]); // a different continuation
    session.restore(snapshot);
    expect(session.length).toBe(prompt.length);
    const again = [session.feed([7]), session.feed([8, 9]), session.feed([3])];
    expect(again).toEqual(first);
    // restorable more than once, also after an overflow restarted the cache
    for (let i = 0; i < 40; i++) session.feed([i % 64]);
    session.restore(snapshot);
    expect(session.feed([7])).toEqual(first[0]);
    disposeSnapshot(snapshot);
    session.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("Generator", () => {
  it("gives identical tokens with and without the KV cache (greedy and sampled)", async () => {
    const cached = new Generator(model);
    const uncached = new Generator(model, { cache: false });
    for (const options of [
      { maxTokens: 20, temperature: 0 },
      { maxTokens: 20, temperature: 1, seed: 42 },
      { maxTokens: 20, temperature: 0.8, topK: 10, topP: 0.9, seed: 7 },
    ]) {
      const a = await cached.generateAll(prompt, options);
      const b = await uncached.generateAll(prompt, options);
      expect(a).toHaveLength(20);
      expect(a).toEqual(b);
    }
  });

  it("streams tokens, stops at stop tokens and repeats for a seed", async () => {
    const gen = new Generator(model);
    const streamed: number[] = [];
    for await (const token of gen.generate(prompt, { maxTokens: 12, seed: 3 })) streamed.push(token);
    expect(streamed).toEqual(await gen.generateAll(prompt, { maxTokens: 12, seed: 3 }));
    const stopAt = streamed[4] as number;
    const stopped = await gen.generateAll(prompt, { maxTokens: 12, seed: 3, stop: [stopAt] });
    expect(stopped).toEqual(streamed.slice(0, streamed.indexOf(stopAt)));
    expect(await gen.generateAll(prompt, { maxTokens: 12, seed: 4 })).not.toEqual(streamed);
  });

  it("generates a batch from one shared prefill", async () => {
    const gen = new Generator(model);
    const greedy = await gen.generateBatch(prompt, 3, { maxTokens: 10, temperature: 0 });
    const single = await gen.generateAll(prompt, { maxTokens: 10, temperature: 0 });
    expect(greedy).toEqual([single, single, single]);
    const sampled = await gen.generateBatch(prompt, 4, { maxTokens: 10, seed: 1 });
    expect(sampled.every((row) => row.length === 10)).toBe(true);
    expect(new Set(sampled.map((r) => r.join(","))).size).toBeGreaterThan(1);
    expect(await gen.generateBatch(prompt, 4, { maxTokens: 10, seed: 1 })).toEqual(sampled);
  });
});

describe("sampleToken", () => {
  const logits = Float32Array.from([0.1, 2.0, 1.9, -1, 0.5]);

  it("is greedy at temperature 0, with top-k 1 and with a tiny top-p", () => {
    const rng = new Rng(1);
    expect(argmax(logits)).toBe(1);
    expect(sampleToken(logits, { temperature: 0 }, rng)).toBe(1);
    for (let i = 0; i < 20; i++) expect(sampleToken(logits, { topK: 1 }, rng)).toBe(1);
    for (let i = 0; i < 20; i++) expect(sampleToken(logits, { topP: 0.01 }, rng)).toBe(1);
  });

  it("samples in proportion to softmax(logits / T) within the top-k", () => {
    const rng = new Rng(2);
    const counts = new Array(5).fill(0);
    const n = 20000;
    for (let i = 0; i < n; i++) counts[sampleToken(logits, { topK: 2 }, rng)]++;
    expect(counts[0] + counts[3] + counts[4]).toBe(0);
    const p1 = Math.exp(2) / (Math.exp(2) + Math.exp(1.9));
    expect(counts[1] / n).toBeCloseTo(p1, 1);
  });
});
