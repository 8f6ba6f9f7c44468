import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { ArrayBatchSource } from "./array-batch-source.js";
import { computeGradients } from "./compute-gradients.js";
import { GPT } from "./gpt.js";
import { initBackend } from "./init-backend.js";
import { lrSchedule } from "./lr-schedule.js";
import { patternTokens, TINY } from "./test-helpers.js";
import { Trainer, train } from "./trainer.js";

const tokens = patternTokens(4000);

describe.each(["wasm", "cpu"] as const)("Trainer on %s", (backend) => {
  it("lowers the loss, emits events and leaks no tensors per step", async () => {
    const info = await initBackend(backend);
    expect(info.name).toBe(backend);
    const model = new GPT(TINY, { seed: 1 });
    const events: Array<{
      step: number;
      loss: number;
      lr: number;
      backend?: string;
      tokensPerSecond?: number;
    }> = [];
    const counts: number[] = [];
    const steps = backend === "wasm" ? 25 : 8;
    const config = { totalSteps: steps, lr: 2e-2, warmupSteps: 2 };
    const trainer = new Trainer(model, config, {
      onStep: (e) => {
        events.push(e);
        counts.push(tf.memory().numTensors);
      },
    });
    await trainer.run(new ArrayBatchSource(tokens, backend === "wasm" ? 4 : 2, 16));
    expect(events).toHaveLength(steps);
    expect(new Set(counts).size).toBe(1); // constant tensor count across steps
    expect(events[0]?.backend).toBe(backend);
    expect(events[0]?.tokensPerSecond).toBeGreaterThan(0);
    for (const [i, e] of events.entries()) expect(e.lr).toBeCloseTo(lrSchedule(i, config), 10);
    const first = events[0]?.loss as number;
    const last = events.at(-1)?.loss as number;
    expect(first).toBeCloseTo(Math.log(64), 3);
    expect(last).toBeLessThan(first - (backend === "wasm" ? 1.0 : 0.3));
    trainer.dispose();
    model.dispose();
  });
});

describe("Trainer (wasm)", () => {
  it("is deterministic for a seed", async () => {
    await initBackend("wasm");
    const run = async (): Promise<number[]> => {
      const model = new GPT(TINY, { seed: 5 });
      const result = await train(model, new ArrayBatchSource(tokens, 2, 16), { totalSteps: 6, lr: 5e-3 });
      model.dispose();
      return result.losses;
    };
    expect(await run()).toEqual(await run());
  });

  it("accumulating 2 micro-batches of 2 equals one batch of 4", async () => {
    await initBackend("wasm");
    const a = new GPT(TINY, { seed: 2 });
    const b = new GPT(TINY, { seed: 2 });
    const ra = await train(a, new ArrayBatchSource(tokens, 4, 16), { totalSteps: 3, lr: 1e-2, gradClip: 0 });
    const rb = await train(b, new ArrayBatchSource(tokens, 2, 16), {
      totalSteps: 3,
      lr: 1e-2,
      gradClip: 0,
      gradAccumSteps: 2,
    });
    for (const [i, l] of ra.losses.entries()) expect(l).toBeCloseTo(rb.losses[i] as number, 4);
    const wa = (await a.getWeights()).get("transformer.h.1.mlp.c_fc.weight")?.data as Float32Array;
    const wb = (await b.getWeights()).get("transformer.h.1.mlp.c_fc.weight")?.data as Float32Array;
    let diff = 0;
    for (let i = 0; i < wa.length; i++)
      diff = Math.max(diff, Math.abs((wa[i] as number) - (wb[i] as number)));
    expect(diff).toBeLessThan(1e-4);
    a.dispose();
    b.dispose();
  });

  it("takes gradients from a pluggable function (the data-parallel hook)", async () => {
    await initBackend("wasm");
    const a = new GPT(TINY, { seed: 6 });
    const b = new GPT(TINY, { seed: 6 });
    const plain = await train(a, new ArrayBatchSource(tokens, 2, 16), { totalSteps: 3, lr: 1e-2 });
    let calls = 0;
    const hooked = await train(b, new ArrayBatchSource(tokens, 2, 16), {
      totalSteps: 3,
      lr: 1e-2,
      gradients: async (batch) => {
        calls++;
        // two half-batches of one row each, averaged: the same gradient as the whole batch
        const half = batch.seqLen;
        const rows = [0, 1].map((r) =>
          computeGradients(b, {
            inputs: batch.inputs.slice(r * half, (r + 1) * half),
            targets: batch.targets.slice(r * half, (r + 1) * half),
            batchSize: 1,
            seqLen: batch.seqLen,
          }),
        );
        const grads = new Map<string, tf.Tensor>();
        for (const [name, g0] of rows[0]?.grads ?? []) {
          const g1 = rows[1]?.grads.get(name) as tf.Tensor;
          grads.set(
            name,
            tf.tidy(() => tf.mul(tf.add(g0, g1), 0.5)),
          );
          g0.dispose();
          g1.dispose();
        }
        return { loss: ((rows[0]?.loss ?? 0) + (rows[1]?.loss ?? 0)) / 2, grads };
      },
    });
    expect(calls).toBe(3);
    expect(hooked.losses).toHaveLength(3);
    for (const [i, loss] of hooked.losses.entries()) expect(loss).toBeCloseTo(plain.losses[i] as number, 4);
    expect(hooked.losses[2]).not.toBeCloseTo(hooked.losses[0] as number, 3);
    a.dispose();
    b.dispose();
  });

  it("reports validation loss and bits per byte at intervals", async () => {
    await initBackend("wasm");
    const model = new GPT(TINY, { seed: 3 });
    const tokenBytes = new Int32Array(64).fill(2);
    tokenBytes[0] = 0; // a special token: left out of bits per byte
    const valEvents: Array<{ step: number; valLoss?: number; valBpb?: number }> = [];
    const result = await train(
      model,
      new ArrayBatchSource(tokens, 2, 16),
      {
        totalSteps: 4,
        lr: 1e-2,
        valSource: new ArrayBatchSource(patternTokens(500, 9), 2, 16),
        evalEvery: 2,
        evalBatches: 2,
        tokenBytes,
      },
      { onStep: (e) => valEvents.push(e) },
    );
    expect(valEvents.map((e) => e.valLoss !== undefined)).toEqual([false, true, false, true]);
    expect(result.valLoss).toBeGreaterThan(0);
    // every counted target has 2 bytes, so bpb is close to loss / ln 2 / 2 (exact when no target is id 0)
    expect(result.valBpb).toBeGreaterThan(0);
    expect(Math.abs((result.valBpb as number) - (result.valLoss as number) / Math.LN2 / 2)).toBeLessThan(0.2);
    model.dispose();
  });

  it("trains on masked batches with the masked loss", async () => {
    await initBackend("wasm");
    const model = new GPT(TINY, { seed: 4 });
    model.setWeights(
      new Map([...model.parameters()].map(([k, v]) => [k, tf.randomNormal(v.shape, 0, 0.2, "float32", 1)])),
    );
    const mask = tokens.map((_, i) => (i % 3 === 0 ? 1 : 0));
    const source = new ArrayBatchSource(tokens, 2, 16, mask);
    const firstBatch = await source.next();
    source.restore({ offset: 0 });
    const expected = computeGradients(model, firstBatch);
    for (const g of expected.grads.values()) g.dispose();
    const unmasked = computeGradients(model, { ...firstBatch, mask: undefined });
    for (const g of unmasked.grads.values()) g.dispose();
    const result = await train(model, source, { totalSteps: 1, lr: 1e-3 });
    expect(result.losses[0]).toBeCloseTo(expected.loss, 6);
    expect(Math.abs(expected.loss - unmasked.loss)).toBeGreaterThan(1e-3);
    model.dispose();
  });
});
