import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { GPT } from "./gpt.js";
import { initBackend } from "./init-backend.js";
import { TINY } from "./test-helpers.js";

beforeAll(async () => {
  await initBackend("wasm");
});

const ids = (rows: number[][]): tf.Tensor2D =>
  tf.tensor2d(rows, [rows.length, rows[0]?.length ?? 0], "int32");

describe("GPT", () => {
  it("maps ids [B, T] to logits [B, T, V] bounded by the softcap", () => {
    const model = new GPT({ ...TINY }, { seed: 3 });
    const x = ids([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
    ]);
    const logits = model.forward(x);
    expect(logits.shape).toEqual([2, 4, 64]);
    expect(Math.max(...Array.from(logits.dataSync(), Math.abs))).toBeLessThanOrEqual(15);
    tf.dispose([x, logits]);
    model.dispose();
  });

  it("initialises deterministically from its seed, with a zero head (loss = ln V)", async () => {
    const a = await new GPT(TINY, { seed: 7 }).getWeights();
    const b = await new GPT(TINY, { seed: 7 }).getWeights();
    const c = await new GPT(TINY, { seed: 8 }).getWeights();
    const name = "transformer.h.0.attn.c_q.weight";
    expect(a.get(name)?.data).toEqual(b.get(name)?.data);
    expect(a.get(name)?.data).not.toEqual(c.get(name)?.data);
    expect(Math.max(...Array.from(a.get("lm_head.weight")?.data ?? [1], Math.abs))).toBe(0);
    const model = new GPT(TINY, { seed: 7 });
    const x = ids([[1, 2, 3]]);
    const loss = model.loss(x, ids([[2, 3, 4]]));
    expect(loss.dataSync()[0]).toBeCloseTo(Math.log(64), 5);
    tf.dispose([x, loss]);
    model.dispose();
  });

  it("is causal: later tokens do not change earlier logits", () => {
    const model = new GPT(TINY, { seed: 1 });
    // give the head weights so logits depend on the input
    model.setWeights(
      new Map([...model.parameters()].map(([k, v]) => [k, tf.randomNormal(v.shape, 0, 0.3, "float32", 5)])),
    );
    const a = model.forward(ids([[1, 2, 3, 4]]));
    const b = model.forward(ids([[1, 2, 3, 9]]));
    const da = a.dataSync().slice(0, 3 * 64);
    const db = b.dataSync().slice(0, 3 * 64);
    expect(Array.from(da)).toEqual(Array.from(db));
    expect(a.dataSync()[3 * 64 + 1]).not.toBe(b.dataSync()[3 * 64 + 1]);
    tf.dispose([a, b]);
    model.dispose();
  });

  it("honours a loss mask: sum(mask*CE)/sum(mask), consistent with tokenLogProbs", () => {
    const model = new GPT(TINY, { seed: 2 });
    model.setWeights(
      new Map([...model.parameters()].map(([k, v]) => [k, tf.randomNormal(v.shape, 0, 0.3, "float32", 9)])),
    );
    const x = ids([
      [1, 2, 3, 4],
      [9, 8, 7, 6],
    ]);
    const y = ids([
      [2, 3, 4, 5],
      [8, 7, 6, 5],
    ]);
    const maskData = [1, 0, 1, 1, 0, 0, 1, 0];
    const mask = tf.tensor2d(maskData, [2, 4]);
    const logp = model.tokenLogProbs(x, y).dataSync();
    let sum = 0;
    for (let i = 0; i < 8; i++) sum += -(logp[i] as number) * (maskData[i] as number);
    const masked = model.loss(x, y, mask).dataSync()[0] as number;
    expect(masked).toBeCloseTo(sum / 4, 4);
    const plain = model.loss(x, y).dataSync()[0] as number;
    expect(plain).toBeCloseTo(-Array.from(logp).reduce((a, b) => a + b, 0) / 8, 4);
    expect(Math.abs(masked - plain)).toBeGreaterThan(1e-3);
    tf.dispose([x, y, mask]);
    model.dispose();
  });

  it("clones into an independent model", async () => {
    const model = new GPT(TINY, { seed: 4 });
    const copy = model.clone();
    const name = "transformer.h.1.mlp.c_fc.weight";
    expect((await copy.getWeights()).get(name)?.data).toEqual((await model.getWeights()).get(name)?.data);
    (model.parameters().get(name) as tf.Variable).assign(tf.zeros([32, 128]));
    expect(
      Math.max(...Array.from((await copy.getWeights()).get(name)?.data ?? [0], Math.abs)),
    ).toBeGreaterThan(0);
    model.dispose();
    copy.dispose();
  });

  it("rejects inputs longer than the context and frees everything on dispose", () => {
    const before = tf.memory().numTensors;
    const model = new GPT(TINY);
    const x = tf.zeros([1, 17], "int32");
    expect(() => model.forward(x)).toThrow(/context/);
    x.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(model.parameterCount()).toBe(2 * 64 * 32 + 12 * 2 * 32 * 32);
  });
});
