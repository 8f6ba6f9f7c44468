/**
 * DataParallel with a worker thread gives the same loss and gradients as computeGradients on the
 * whole batch (plain and masked), also after the weights change.
 */
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdamW } from "../adamw.js";
import { computeGradients } from "../compute-gradients.js";
import { GPT } from "../gpt.js";
import { initBackend } from "../init-backend.js";
import { patternTokens, TINY } from "../test-helpers.js";
import { DataParallel, sliceBatch, splitRows } from "./data-parallel.js";

const B = 5;
const T = 16;
const tokens = patternTokens(B * T + 1, 7);
const batch = {
  inputs: Int32Array.from(tokens.slice(0, B * T)),
  targets: Int32Array.from(tokens.slice(1, B * T + 1)),
  batchSize: B,
  seqLen: T,
};
const masked = {
  ...batch,
  mask: Float32Array.from({ length: B * T }, (_, i) => (i % 3 === 0 || i > 60 ? 1 : 0)),
};

let model: GPT;
let dp: DataParallel;

async function compare(b: typeof batch & { mask?: Float32Array }): Promise<void> {
  const single = computeGradients(model, b);
  const parallel = await dp.computeGradients(b);
  expect(parallel.loss).toBeCloseTo(single.loss, 5);
  expect([...parallel.grads.keys()].sort()).toEqual([...single.grads.keys()].sort());
  for (const [name, g] of single.grads) {
    const a = g.dataSync();
    const p = (parallel.grads.get(name) as tf.Tensor).dataSync();
    let scale = 1e-6;
    for (const v of a) scale = Math.max(scale, Math.abs(v));
    for (let i = 0; i < a.length; i++)
      expect(Math.abs((p[i] as number) - (a[i] as number))).toBeLessThan(1e-4 * scale);
  }
  for (const g of single.grads.values()) g.dispose();
  for (const g of parallel.grads.values()) g.dispose();
}

describe("DataParallel", () => {
  beforeAll(async () => {
    await initBackend("wasm");
    model = new GPT(TINY, { seed: 3 });
    dp = await DataParallel.create(model, { workers: 1 });
  }, 60_000);

  afterAll(async () => {
    await dp?.dispose();
    model?.dispose();
  });

  it("splits rows evenly and slices batches", () => {
    expect(splitRows(5, 2)).toEqual([
      [0, 2],
      [2, 5],
    ]);
    expect(splitRows(1, 4)).toEqual([[0, 1]]);
    const s = sliceBatch(masked, 2, 5);
    expect(s.batchSize).toBe(3);
    expect(Array.from(s.inputs)).toEqual(Array.from(batch.inputs.slice(2 * T)));
    expect(s.mask?.length).toBe(3 * T);
  });

  it("matches one thread on the same global batch", async () => {
    expect(dp.parallelism).toBe(2);
    await compare(batch);
  }, 60_000);

  it("matches one thread with a loss mask", async () => {
    await compare(masked);
  }, 60_000);

  it("sends new weights after an optimizer step and leaks no tensors", async () => {
    const opt = new AdamW(model.parameters(), {});
    const before = tf.memory().numTensors;
    const { grads } = await dp.computeGradients(batch);
    opt.apply(grads, 1e-2);
    for (const g of grads.values()) g.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(dp.lastTimings.own).toBeGreaterThan(0);
    expect(dp.lastTimings.workerCompute).toBeGreaterThan(0);
    await compare(batch); // the worker refills the weight arrays it handed back
    await compare(masked);
    opt.dispose();
  }, 60_000);
});
