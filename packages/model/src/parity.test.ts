import { readFile } from "node:fs/promises";
import type { Batch } from "@llm/core";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { computeGradients } from "./compute-gradients.js";
import { GPT } from "./gpt.js";
import { initBackend } from "./init-backend.js";
import { loadSafetensors, type NamedArray } from "./safetensors.js";
import { Trainer } from "./trainer.js";

// Fixtures come from bench/reference/make_parity_fixtures.py (PyTorch, float64); never edited by hand.
// "parity": the untied default; "parity-options": the presets' options (tied embeddings, smeared
// keys, learned attention gains), with gates and gains away from their initial values.
const FIXTURES = ["parity", "parity-options"] as const;

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] as number));
  return m;
}
function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

describe.each(
  FIXTURES.flatMap((fixture) => (["wasm", "cpu"] as const).map((backend) => [fixture, backend] as const)),
)("parity with the PyTorch reference (%s) on %s", (fixture, backend) => {
  const dir = new URL(`./__fixtures__/${fixture}/`, import.meta.url).pathname;
  let model: GPT;
  let expected: Map<string, NamedArray>;
  const get = (name: string): NamedArray => expected.get(name) as NamedArray;

  beforeAll(async () => {
    await initBackend(backend);
    const config = JSON.parse(await readFile(`${dir}config.json`, "utf8"));
    const weights = await loadSafetensors(`${dir}model.safetensors`);
    model = GPT.fromWeights(
      config,
      new Map([...weights.tensors].map(([k, v]) => [k, v.data as Float32Array])),
    );
    expected = (await loadSafetensors(`${dir}expected.safetensors`)).tensors;
  });

  it("has the fixture's options and a gradient for each of its tensors", () => {
    const options = fixture === "parity-options";
    expect(model.config).toMatchObject({ tieEmbeddings: options, smearKeys: options, qkGain: options });
    expect([...expected.keys()].filter((k) => k.startsWith("grad.")).length).toBe(model.parameters().size);
  });

  it("matches logits within 1e-4", () => {
    const ids = get("ids");
    const logits = tf.tidy(() =>
      model.forward(tf.tensor2d(ids.data, ids.shape as [number, number], "int32")),
    );
    const ours = logits.dataSync();
    logits.dispose();
    expect(logits.shape).toEqual(get("logits").shape);
    expect(maxDiff(ours, get("logits").data)).toBeLessThan(1e-4);
  });

  it("matches the loss and every loss gradient within 1e-3 relative", () => {
    const ids = get("ids");
    const targets = get("targets");
    const shape = ids.shape as [number, number];
    const plain = tf.tidy(() =>
      model.loss(tf.tensor2d(ids.data, shape, "int32"), tf.tensor2d(targets.data, shape, "int32")).dataSync(),
    );
    expect(Math.abs((plain[0] as number) - (get("loss").data[0] as number))).toBeLessThan(1e-4);
    const { loss, grads } = computeGradients(model, {
      inputs: ids.data as Int32Array,
      targets: targets.data as Int32Array,
      mask: get("mask").data as Float32Array,
      batchSize: shape[0],
      seqLen: shape[1],
    });
    expect(Math.abs(loss - (get("loss_masked").data[0] as number))).toBeLessThan(1e-4);
    expect(grads.size).toBe(model.parameters().size);
    for (const [name, g] of grads) {
      const ref = get(`grad.${name}`);
      expect(g.shape).toEqual(ref.shape);
      const rel = maxDiff(g.dataSync(), ref.data) / maxAbs(ref.data);
      expect(rel, name).toBeLessThan(1e-3);
      g.dispose();
    }
  });

  it("matches three AdamW steps with clipping (losses within 1e-4, weights within 1e-3 relative)", async () => {
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
    const expectedLosses = Array.from(get("train_losses").data);
    for (const [i, loss] of losses.entries())
      expect(Math.abs(loss - (expectedLosses[i] as number))).toBeLessThan(1e-4);
    for (const [name, w] of await copy.getWeights()) {
      const ref = get(`trained.${name}`);
      expect(maxDiff(w.data, ref.data) / maxAbs(ref.data), name).toBeLessThan(1e-3);
    }
    trainer.dispose();
    copy.dispose();
  });
});
