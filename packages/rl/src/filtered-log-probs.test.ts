/**
 * filteredLogProbs and GrpoConfig.filteredLoss: the log-prob of a token under a filter's
 * renormalised softmax (checked against the direct formula), its gradient free of the removed
 * ids' logits, and trainGrpo with a rollout filter: with filteredLoss the loss's log-probs are the
 * ones the rollouts sampled from (logProbGap ~0), micro-batches give the whole batch's update.
 */
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  tinyGrpoConfig,
  tinyGrpoModel,
  tinyGrpoTasks,
  tinyGrpoTokenizer as tokenizer,
  weightsOf,
} from "./__fixtures__/tiny-grpo.js";
import { filteredLogProbs } from "./filtered-log-probs.js";
import { tokenLogProbs } from "./token-log-probs.js";
import { trainGrpo } from "./train-grpo.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("filteredLogProbs", () => {
  const B = 2;
  const T = 3;
  const V = 6;
  const values = Array.from({ length: B * T * V }, (_, i) => Math.sin(i * 1.7) * 2);
  const targetIds = [1, 4, 2, 0, 5, 3];
  const positions = [
    { at: 1, kept: Int32Array.from([1, 4, 5]) }, // row 0, t 1: target 4
    { at: 4, kept: Int32Array.from([0, 5]) }, // row 1, t 1: target 5
  ];

  it("renormalises over the kept ids at filtered positions and leaves the others", () => {
    const temperature = 0.7;
    const [plain, filtered] = tf.tidy(() => {
      const logits = tf.tensor3d(values, [B, T, V]);
      const targets = tf.tensor2d(targetIds, [B, T], "int32");
      const lp = tokenLogProbs(logits, targets, temperature);
      return [lp.arraySync().flat(), filteredLogProbs(logits, lp, positions, temperature).arraySync().flat()];
    });
    for (let at = 0; at < B * T; at++) {
      const p = positions.find((x) => x.at === at);
      if (p === undefined) {
        expect(filtered[at]).toBeCloseTo(plain[at] as number, 6);
        continue;
      }
      const row = values.slice(at * V, (at + 1) * V).map((x) => x / temperature);
      const kept = [...p.kept].map((id) => row[id] as number);
      const logZ = Math.log(kept.reduce((a, x) => a + Math.exp(x), 0));
      expect(filtered[at]).toBeCloseTo((row[targetIds[at] as number] as number) - logZ, 5);
      expect(filtered[at] as number).toBeGreaterThan(plain[at] as number);
    }
  });

  it("has no gradient on the logits of the removed ids at a filtered position", () => {
    const before = tf.memory().numTensors;
    const grad = tf.tidy(() => {
      const targets = tf.tensor2d(targetIds, [B, T], "int32");
      const g = tf.grad((logits: tf.Tensor) => {
        const l = logits as tf.Tensor3D;
        return tf.sum(filteredLogProbs(l, tokenLogProbs(l, targets), positions));
      });
      return g(tf.tensor3d(values, [B, T, V])).arraySync() as number[][][];
    });
    expect(tf.memory().numTensors).toBe(before);
    const at = (flat: number) => grad[Math.floor(flat / T)]?.[flat % T] as number[];
    for (const { at: flat, kept } of positions) {
      at(flat).forEach((g, id) => {
        if (kept.includes(id)) expect(Math.abs(g)).toBeGreaterThan(1e-4);
        else expect(g).toBe(0);
      });
    }
    // an unfiltered position's gradient reaches every id (-p_j, and 1 - p at the target)
    for (const g of at(0)) expect(Math.abs(g)).toBeGreaterThan(1e-4);
  });
});

describe("GrpoConfig.filteredLoss", () => {
  const tasks = tinyGrpoTasks.slice(0, 12);
  // the rollouts may write only 5-9 and end the turn
  const keep = new Set([5, 6, 7, 8, 9, tokenizer.specialId("<|assistant_end|>")]);
  const onlyHighDigits = (logits: Float32Array) =>
    logits.map((x, id) => (keep.has(id) ? x : Number.NEGATIVE_INFINITY));
  const reward = (text: string) => ({ reward: text.startsWith("7") ? 1 : 0 });
  /** tinyGrpoModel with its zero-initialised head re-drawn at std 0.5, so the logits are not uniform. */
  const newModel = () => {
    const model = tinyGrpoModel();
    const head = model.parameters().get("lm_head.weight") as tf.Variable;
    tf.tidy(() => head.assign(tf.mul(tf.randomNormal(head.shape, 0, 1, "float32", 2), 0.5)));
    return model;
  };
  const base = { ...tinyGrpoConfig, beta: 0.1 };

  it("computes the loss under the filtered distribution: the sampling log-probs come back", async () => {
    const gaps: Record<string, number[]> = {};
    for (const filteredLoss of [false, true]) {
      const model = newModel();
      const before = tf.memory().numTensors;
      const result = await trainGrpo(
        { model, tokenizer },
        tasks,
        { ...base, filteredLoss },
        {},
        { reward, logitsFilter: onlyHighDigits },
      );
      expect(tf.memory().numTensors).toBe(before);
      for (const s of result.steps) expect(s.filteredTokens).toBeGreaterThan(0);
      gaps[String(filteredLoss)] = result.steps.map((s) => s.logProbGap);
      model.dispose();
    }
    // the plain model's log-prob is below the filtered one by log(kept mass); filtered: only float error
    for (const g of gaps.false ?? []) expect(g).toBeGreaterThan(0.05);
    for (const g of gaps.true ?? []) expect(g).toBeLessThan(1e-4);
  });

  it("gives the whole batch's update in micro-batches (the filtered positions split by row)", async () => {
    const run = async (extra: Record<string, number>) => {
      const model = newModel();
      await trainGrpo(
        { model, tokenizer },
        tasks,
        { ...base, filteredLoss: true, ...extra },
        {},
        { reward, logitsFilter: onlyHighDigits },
      );
      const weights = await weightsOf(model);
      model.dispose();
      return weights;
    };
    const whole = await run({});
    for (const other of [await run({ microBatchSize: 5 }), await run({ microBatchSize: 7 })]) {
      whole.forEach((w, i) => {
        const o = other[i] as Float32Array;
        let maxDiff = 0;
        for (let j = 0; j < w.length; j++)
          maxDiff = Math.max(maxDiff, Math.abs((w[j] as number) - (o[j] as number)));
        expect(maxDiff).toBeLessThan(1e-4);
      });
    }
  });
});
