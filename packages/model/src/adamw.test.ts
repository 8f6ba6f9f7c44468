import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { AdamW, decays } from "./adamw.js";
import { clipGlobalNorm, globalNorm } from "./clip-global-norm.js";
import { initBackend } from "./init-backend.js";
import { lrSchedule } from "./lr-schedule.js";

beforeAll(async () => {
  await initBackend("wasm");
});

describe("AdamW", () => {
  it("takes the Adam step with decoupled decay on matrices only (by default)", () => {
    const w = tf.variable(tf.tensor2d([1, -2, 3, 4], [2, 2]));
    const e = tf.variable(tf.tensor2d([1, -2, 3, 4], [2, 2]));
    const params = new Map([
      ["transformer.h.0.mlp.c_fc.weight", w],
      ["transformer.wte.weight", e],
    ]);
    const opt = new AdamW(params, { weightDecay: 0.5 });
    expect(opt.decayed()).toEqual(["transformer.h.0.mlp.c_fc.weight"]);
    const g = tf.tensor2d([0.1, -0.2, 0.3, -0.4], [2, 2]);
    const lr = 0.01;
    opt.apply(
      new Map([
        ["transformer.h.0.mlp.c_fc.weight", g],
        ["transformer.wte.weight", g],
      ]),
      lr,
    );
    // step 1: m_hat = g, v_hat = g^2, update = g / (|g| + eps) ~ sign(g)
    const sign = [1, -1, 1, -1];
    const w0 = [1, -2, 3, 4];
    const expectW = w0.map((x, i) => x * (1 - lr * 0.5) - lr * (sign[i] as number));
    const expectE = w0.map((x, i) => x - lr * (sign[i] as number));
    for (const [i, x] of w.dataSync().entries()) expect(x).toBeCloseTo(expectW[i] as number, 6);
    for (const [i, x] of e.dataSync().entries()) expect(x).toBeCloseTo(expectE[i] as number, 6);
    expect(opt.step).toBe(1);
    opt.dispose();
    tf.dispose([w, e, g]);
  });

  it("selects decay groups by rule or predicate", () => {
    expect(decays("all", "lm_head.weight", [2, 2])).toBe(true);
    expect(decays("none", "transformer.h.0.attn.c_q.weight", [2, 2])).toBe(false);
    expect(decays("matrices", "lm_head.weight", [2, 2])).toBe(false);
    expect(decays((name) => name.includes("mlp"), "transformer.h.1.mlp.c_fc.weight", [2, 2])).toBe(true);
  });

  it("round-trips its state", async () => {
    const w = tf.variable(tf.tensor2d([1, 2], [1, 2]));
    const opt = new AdamW(new Map([["a", w]]));
    const g = tf.tensor2d([0.5, -1], [1, 2]);
    opt.apply(new Map([["a", g]]), 0.1);
    const state = await opt.getState();
    const w2 = tf.variable(tf.tensor2d([1, 2], [1, 2]));
    const opt2 = new AdamW(new Map([["a", w2]]));
    opt2.setState(state);
    expect(opt2.step).toBe(1);
    expect((await opt2.getState()).tensors.get("a.exp_avg")?.data).toEqual(
      state.tensors.get("a.exp_avg")?.data,
    );
    expect(() => opt2.setState({ step: 1, tensors: new Map() })).toThrow(/optimizer state/);
    tf.dispose([w, w2, g]);
    opt.dispose();
    opt2.dispose();
  });
});

describe("clipGlobalNorm", () => {
  it("scales gradients down to maxNorm and reports the norm before clipping", () => {
    const grads = new Map([
      ["a", tf.tensor1d([3, 0])],
      ["b", tf.tensor1d([0, 4])],
    ]);
    const { norm } = clipGlobalNorm(grads, 1);
    expect(norm).toBeCloseTo(5, 6);
    expect(globalNorm(grads)).toBeCloseTo(1, 4);
    const small = new Map([["a", tf.tensor1d([0.3, 0.4])]]);
    const kept = small.get("a");
    clipGlobalNorm(small, 1);
    expect(small.get("a")).toBe(kept);
    tf.dispose([...grads.values(), ...small.values()]);
  });
});

describe("lrSchedule", () => {
  it("warms up linearly then decays by cosine to the floor", () => {
    const c = { lr: 1, totalSteps: 110, warmupSteps: 10 };
    expect(lrSchedule(0, c)).toBeCloseTo(0.1);
    expect(lrSchedule(9, c)).toBeCloseTo(1);
    expect(lrSchedule(10, c)).toBeCloseTo(1);
    expect(lrSchedule(60, c)).toBeCloseTo(0.55);
    expect(lrSchedule(110, c)).toBeCloseTo(0.1);
  });

  it("holds then warms down linearly over the last fraction", () => {
    const c = { lr: 2, totalSteps: 100, schedule: "linear" as const, warmdownFraction: 0.2 };
    expect(lrSchedule(0, c)).toBe(2);
    expect(lrSchedule(79, c)).toBe(2);
    expect(lrSchedule(90, c)).toBeCloseTo(1);
    expect(lrSchedule(99, c)).toBeCloseTo(0.1);
    expect(lrSchedule(5, { lr: 3, totalSteps: 10, schedule: "constant" })).toBe(3);
  });
});
