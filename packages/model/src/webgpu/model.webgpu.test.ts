/**
 * The whole model on webgpu (lavapipe in CI): the PyTorch parity fixtures (logits 1e-4,
 * gradients 1e-3 relative, three AdamW steps with clipping), a few Trainer steps equal to wasm's
 * within float tolerance, no leaked tensors per step, KV-cached generation equal to uncached and
 * to wasm, and a checkpoint written on webgpu that resumes on wasm. Every read is `await data()`.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Batch } from "@llm/core";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArrayBatchSource } from "../array-batch-source.js";
import { loadCheckpoint } from "../checkpoint.js";
import { computeGradientsAsync } from "../compute-gradients.js";
import { Generator } from "../generator.js";
import { GPT } from "../gpt.js";
import { initBackend } from "../init-backend.js";
import { loadSafetensors, type NamedArray } from "../safetensors.js";
import { patternTokens, TINY } from "../test-helpers.js";
import { Trainer } from "../trainer.js";

const dir = new URL("../__fixtures__/parity/", import.meta.url).pathname;
const maxAbs = (a: ArrayLike<number>) => Array.from(a).reduce((m, x) => Math.max(m, Math.abs(x)), 0);
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Array.from(a).reduce((m, x, i) => Math.max(m, Math.abs(x - (b[i] as number))), 0);

describe("the GPT on webgpu", () => {
  let model: GPT;
  let expected: Map<string, NamedArray>;
  const get = (name: string): NamedArray => expected.get(name) as NamedArray;

  beforeAll(async () => {
    await initBackend("webgpu");
    const config = JSON.parse(await readFile(`${dir}config.json`, "utf8"));
    const weights = await loadSafetensors(`${dir}model.safetensors`);
    model = GPT.fromWeights(
      config,
      new Map([...weights.tensors].map(([k, v]) => [k, v.data as Float32Array])),
    );
    expected = (await loadSafetensors(`${dir}expected.safetensors`)).tensors;
  });
  afterAll(() => model.dispose());

  it("matches the PyTorch logits within 1e-4", async () => {
    const ids = get("ids");
    const logits = tf.tidy(() =>
      model.forward(tf.tensor2d(ids.data, ids.shape as [number, number], "int32")),
    );
    const ours = await logits.data();
    logits.dispose();
    expect(maxDiff(ours, get("logits").data)).toBeLessThan(1e-4);
  });

  it("matches the loss and every gradient within 1e-3 relative", async () => {
    const ids = get("ids");
    const shape = ids.shape as [number, number];
    const { loss, grads } = await computeGradientsAsync(model, {
      inputs: ids.data as Int32Array,
      targets: get("targets").data as Int32Array,
      mask: get("mask").data as Float32Array,
      batchSize: shape[0],
      seqLen: shape[1],
    });
    expect(Math.abs(loss - (get("loss_masked").data[0] as number))).toBeLessThan(1e-4);
    expect(grads.size).toBe(model.parameters().size);
    for (const [name, g] of grads) {
      const ref = get(`grad.${name}`);
      expect(maxDiff(await g.data(), ref.data) / maxAbs(ref.data), name).toBeLessThan(1e-3);
      g.dispose();
    }
  });

  it("matches three AdamW steps with clipping", async () => {
    const ids = get("ids");
    const shape = ids.shape as [number, number];
    const batch: Batch = {
      inputs: ids.data as Int32Array,
      targets: get("targets").data as Int32Array,
      mask: get("mask").data as Float32Array,
      batchSize: shape[0],
      seqLen: shape[1],
    };
    const source = {
      batchSize: shape[0],
      seqLen: shape[1],
      next: async () => batch,
      position: () => ({}),
      restore: () => {},
    };
    const copy = model.clone();
    const trainer = new Trainer(copy, {
      totalSteps: 3,
      lr: 1e-2,
      schedule: "constant",
      weightDecay: 0.1,
      gradClip: 1,
    });
    const { losses } = await trainer.run(source);
    for (const [i, loss] of losses.entries()) {
      expect(Math.abs(loss - (get("train_losses").data[i] as number))).toBeLessThan(1e-4);
    }
    for (const [name, w] of await copy.getWeights()) {
      const ref = get(`trained.${name}`);
      expect(maxDiff(w.data, ref.data) / maxAbs(ref.data), name).toBeLessThan(1e-3);
    }
    trainer.dispose();
    copy.dispose();
  });
});

/** Five trainer steps on `backend`: losses, tensor counts after each step, final weights. */
async function trainFive(backend: "wasm" | "webgpu", checkpointDir?: string) {
  await initBackend(backend);
  const model = new GPT({ ...TINY, smearKeys: true, qkGain: true }, { seed: 3 });
  const counts: number[] = [];
  const backends: string[] = [];
  const trainer = new Trainer(
    model,
    {
      totalSteps: 5,
      lr: 1e-2,
      warmupSteps: 1,
      gradAccumSteps: 2,
      ...(checkpointDir ? { checkpointDir } : {}),
    },
    {
      onStep: (e) => {
        counts.push(tf.memory().numTensors);
        backends.push(e.backend ?? "");
      },
    },
  );
  const { losses } = await trainer.run(new ArrayBatchSource(patternTokens(3000), 4, 16));
  const weights = await model.getWeights();
  trainer.dispose();
  model.dispose();
  return { losses, counts, backends, weights };
}

describe("training on webgpu against wasm", () => {
  it("gives wasm's losses and weights within float tolerance, with no leaked tensors", async () => {
    const wasm = await trainFive("wasm");
    const out = await mkdtemp(join(tmpdir(), "llm-webgpu-"));
    try {
      const gpu = await trainFive("webgpu", join(out, "ckpt"));
      expect(gpu.backends[0]).toMatch(/^webgpu/);
      expect(new Set(gpu.counts).size).toBe(1);
      for (const [i, loss] of gpu.losses.entries())
        expect(Math.abs(loss - (wasm.losses[i] as number))).toBeLessThan(1e-4);
      for (const [name, w] of gpu.weights) {
        const ref = wasm.weights.get(name)?.data as Float32Array;
        expect(maxDiff(w.data, ref) / Math.max(maxAbs(ref), 1e-6), name).toBeLessThan(1e-3);
      }
      // the checkpoint written from GPU tensors loads (on wasm) with the same weights and step
      await initBackend("wasm");
      const { model, state } = await loadCheckpoint(join(out, "ckpt"));
      expect(state.step).toBe(5);
      for (const [name, w] of await model.getWeights())
        expect(maxDiff(w.data, gpu.weights.get(name)?.data ?? [])).toBe(0);
      model.dispose();
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it("generates with the KV cache as without it, and as wasm does", async () => {
    const make = () => {
      const m = new GPT({ ...TINY, seqLen: 32 }, { seed: 11 });
      m.setWeights(
        new Map([...m.parameters()].map(([k, v]) => [k, tf.randomNormal(v.shape, 0, 0.5, "float32", 3)])),
      );
      return m;
    };
    const prompt = [1, 5, 9, 2];
    const options = { maxTokens: 20, temperature: 0.9, topK: 10, seed: 4 }; // within the context
    const long = { ...options, maxTokens: 40 }; // 44 tokens: the cache overflows and re-prefills
    await initBackend("wasm");
    const cpuModel = make();
    const onWasm = await new Generator(cpuModel).generateAll(prompt, options);
    const longOnWasm = await new Generator(cpuModel).generateAll(prompt, long);
    const batchOnWasm = await new Generator(cpuModel).generateBatch(prompt, 3, { ...options, maxTokens: 8 });
    cpuModel.dispose();
    await initBackend("webgpu");
    const model = make();
    const before = tf.memory().numTensors;
    const cached = await new Generator(model).generateAll(prompt, options);
    const uncached = await new Generator(model, { cache: false }).generateAll(prompt, options);
    expect(cached).toHaveLength(20);
    expect(cached).toEqual(uncached);
    expect(cached).toEqual(onWasm);
    expect(await new Generator(model).generateAll(prompt, long)).toEqual(longOnWasm);
    expect(await new Generator(model).generateBatch(prompt, 3, { ...options, maxTokens: 8 })).toEqual(
      batchOnWasm,
    );
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
