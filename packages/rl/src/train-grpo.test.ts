import "@tensorflow/tfjs-backend-cpu";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Rng } from "@llm/core";
import { loadCheckpoint } from "@llm/model";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  firstCharReward,
  tinyGrpoConfig,
  tinyGrpoModel,
  tinyGrpoTasks,
  tinyGrpoTokenizer as tokenizer,
  weightsOf,
} from "./__fixtures__/tiny-grpo.js";
import { trainGrpo } from "./train-grpo.js";

/** Half of the tokenizer's 20 ids are digits: plenty of signal from the first step. */
const startsWithDigit = (text: string) => ({ reward: /^[0-9]/.test(text) ? 1 : 0 });

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("trainGrpo options", () => {
  it("micro-batches accumulate to the whole batch's update, for every aggregation", async () => {
    for (const lossType of ["grpo", "dapo", "dr_grpo"] as const) {
      const whole = tinyGrpoModel();
      const split = tinyGrpoModel();
      const a = await trainGrpo(
        { model: whole, tokenizer },
        tinyGrpoTasks,
        { ...tinyGrpoConfig, lossType },
        {},
        { reward: firstCharReward },
      );
      const b = await trainGrpo(
        { model: split, tokenizer },
        tinyGrpoTasks,
        { ...tinyGrpoConfig, lossType, microBatchSize: 5 },
        {},
        { reward: firstCharReward },
      );
      expect(b.steps.map((s) => s.reward)).toEqual(a.steps.map((s) => s.reward));
      expect(b.steps[0]?.loss).toBeCloseTo(a.steps[0]?.loss as number, 5);
      const [wa, wb] = [await weightsOf(whole), await weightsOf(split)];
      wa.forEach((w, i) => {
        const other = wb[i] as Float32Array;
        let maxDiff = 0;
        for (let j = 0; j < w.length; j++)
          maxDiff = Math.max(maxDiff, Math.abs((w[j] as number) - (other[j] as number)));
        expect(maxDiff).toBeLessThan(1e-4);
      });
      whole.dispose();
      split.dispose();
    }
  });

  it("with beta > 0 keeps a frozen reference (KL 0 at the start, > 0 once the policy moved); passes > 1 clip", async () => {
    const model = tinyGrpoModel();
    const before = tf.memory().numTensors;
    const result = await trainGrpo(
      { model, tokenizer },
      tinyGrpoTasks,
      { ...tinyGrpoConfig, steps: 3, beta: 0.1, passes: 3, epsLow: 0.05, epsHigh: 0.05, learningRate: 5e-2 },
      {},
      { reward: startsWithDigit },
    );
    expect(tf.memory().numTensors).toBe(before); // the reference copy and optimizer are freed
    const [s1, s2] = result.steps;
    expect(s1?.kl).toBeGreaterThanOrEqual(0);
    expect(s2?.kl).toBeGreaterThan(1e-4);
    expect(result.steps.some((s) => s.clipFraction > 0)).toBe(true);
    model.dispose();
  });

  it("beta 0 loads no reference model; beta > 0 holds exactly one frozen copy", async () => {
    const live = async (beta: number) => {
      const model = tinyGrpoModel();
      let during = 0;
      await trainGrpo(
        { model, tokenizer },
        tinyGrpoTasks,
        { ...tinyGrpoConfig, steps: 1, beta },
        { onStep: () => (during = tf.memory().numTensors) },
        { reward: startsWithDigit },
      );
      const params = model.parameters().size;
      model.dispose();
      return { during, params };
    };
    const without = await live(0);
    const withKl = await live(0.1);
    expect(withKl.during - without.during).toBe(without.params);
  });

  it("skips groups whose rewards are all equal (no update when none has signal)", async () => {
    const model = tinyGrpoModel();
    const never = () => ({ reward: 0 });
    const w0 = await weightsOf(model);
    const result = await trainGrpo(
      { model, tokenizer },
      tinyGrpoTasks,
      { ...tinyGrpoConfig, skipEqualGroups: true },
      {},
      { reward: never },
    );
    expect(
      result.steps.every((s) => s.equalGroupFraction === 1 && s.trainedCompletions === 0 && s.loss === 0),
    ).toBe(true);
    const w1 = await weightsOf(model);
    expect(w1).toEqual(w0);
    model.dispose();
  });

  it("a run stopped by its signal and resumed from the checkpoint ends with the uninterrupted run's weights", async () => {
    const dir = await mkdtemp(join(tmpdir(), "llm-rl-resume-"));
    try {
      const config = { ...tinyGrpoConfig, steps: 4, skipEqualGroups: true };
      const straight = tinyGrpoModel();
      const full = await trainGrpo(
        { model: straight, tokenizer },
        tinyGrpoTasks,
        config,
        {},
        { reward: startsWithDigit },
      );
      const first = tinyGrpoModel();
      const controller = new AbortController();
      const part = await trainGrpo(
        { model: first, tokenizer },
        tinyGrpoTasks,
        config,
        { onStep: (e) => e.step === 2 && controller.abort() },
        { reward: startsWithDigit, checkpointDir: join(dir, "rl"), signal: controller.signal },
      );
      expect(part.aborted).toBe(true);
      expect(part.steps).toHaveLength(2);
      first.dispose();
      const loaded = await loadCheckpoint(join(dir, "rl"));
      expect(loaded.state.step).toBe(2);
      const rest = await trainGrpo(
        { model: loaded.model, tokenizer },
        tinyGrpoTasks,
        config,
        {},
        { reward: startsWithDigit, resume: loaded },
      );
      expect(rest.steps.map((s) => s.step)).toEqual([3, 4]);
      expect(rest.steps.map((s) => s.reward)).toEqual(full.steps.slice(2).map((s) => s.reward));
      const [wa, wb] = [await weightsOf(straight), await weightsOf(loaded.model)];
      wa.forEach((w, i) => {
        const other = wb[i] as Float32Array;
        for (let j = 0; j < w.length; j++)
          expect(Math.abs((w[j] as number) - (other[j] as number))).toBeLessThan(1e-6);
      });
      straight.dispose();
      loaded.model.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("rejects bad configs and empty task lists with LlmErrors naming the field", async () => {
    const model = tinyGrpoModel();
    await expect(trainGrpo({ model, tokenizer }, tinyGrpoTasks, { groupSize: 1 })).rejects.toThrow(
      /groupSize/,
    );
    await expect(
      trainGrpo({ model, tokenizer }, tinyGrpoTasks, { lossType: "ppo" as "grpo" }),
    ).rejects.toThrow(/lossType/);
    await expect(trainGrpo({ model, tokenizer }, [], {})).rejects.toThrow(/at least one task/);
    await expect(trainGrpo({ model, tokenizer }, tinyGrpoTasks, { bogus: 1 } as object)).rejects.toThrow(
      /unknown option/,
    );
    expect(new Rng(1).int(3)).toBeLessThan(3);
    model.dispose();
  });
});
