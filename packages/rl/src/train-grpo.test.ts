import "@tensorflow/tfjs-backend-cpu";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Rng, type Task } from "@llm/core";
import { GPT, loadCheckpoint } from "@llm/model";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { CharTokenizer } from "./__fixtures__/char-tokenizer.js";
import { answerReward } from "./rewards/answer-reward.js";
import { trainGrpo } from "./train-grpo.js";

const tokenizer = new CharTokenizer("0123456789?");
const tasks: Task[] = Array.from({ length: 20 }, (_, i) => ({
  id: `t${i}`,
  kind: "toy",
  prompt: String(100 + i * 7),
  answer: "7",
}));
const firstChar = answerReward((text) => (text === "" ? undefined : text.slice(0, 1)));
/** Half of the 20 ids are digits: plenty of signal from the first step. */
const startsWithDigit = (text: string) => ({ reward: /^[0-9]/.test(text) ? 1 : 0 });
const newModel = () =>
  new GPT({ vocabSize: tokenizer.vocabSize, seqLen: 16, nLayer: 1, nHead: 2, nEmbd: 16 }, { seed: 4 });
const base = {
  steps: 2,
  promptsPerStep: 3,
  groupSize: 4,
  maxNewTokens: 3,
  learningRate: 1e-2,
  evalEvery: 0,
  tools: false,
  skipEqualGroups: false,
  seed: 5,
};

async function weightsOf(model: GPT): Promise<Float32Array[]> {
  return [...(await model.getWeights()).values()].map((w) => w.data);
}

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("trainGrpo options", () => {
  it("micro-batches accumulate to the whole batch's update, for every aggregation", async () => {
    for (const lossType of ["grpo", "dapo", "dr_grpo"] as const) {
      const whole = newModel();
      const split = newModel();
      const a = await trainGrpo(
        { model: whole, tokenizer },
        tasks,
        { ...base, lossType },
        {},
        { reward: firstChar },
      );
      const b = await trainGrpo(
        { model: split, tokenizer },
        tasks,
        { ...base, lossType, microBatchSize: 5 },
        {},
        { reward: firstChar },
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
    const model = newModel();
    const before = tf.memory().numTensors;
    const result = await trainGrpo(
      { model, tokenizer },
      tasks,
      { ...base, steps: 3, beta: 0.1, passes: 3, epsLow: 0.05, epsHigh: 0.05, learningRate: 5e-2 },
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
      const model = newModel();
      let during = 0;
      await trainGrpo(
        { model, tokenizer },
        tasks,
        { ...base, steps: 1, beta },
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
    const model = newModel();
    const never = () => ({ reward: 0 });
    const w0 = await weightsOf(model);
    const result = await trainGrpo(
      { model, tokenizer },
      tasks,
      { ...base, skipEqualGroups: true },
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
      const config = { ...base, steps: 4, skipEqualGroups: true };
      const straight = newModel();
      const full = await trainGrpo(
        { model: straight, tokenizer },
        tasks,
        config,
        {},
        { reward: startsWithDigit },
      );
      const first = newModel();
      const controller = new AbortController();
      const part = await trainGrpo(
        { model: first, tokenizer },
        tasks,
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
        tasks,
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
    const model = newModel();
    await expect(trainGrpo({ model, tokenizer }, tasks, { groupSize: 1 })).rejects.toThrow(/groupSize/);
    await expect(trainGrpo({ model, tokenizer }, tasks, { lossType: "ppo" as "grpo" })).rejects.toThrow(
      /lossType/,
    );
    await expect(trainGrpo({ model, tokenizer }, [], {})).rejects.toThrow(/at least one task/);
    await expect(trainGrpo({ model, tokenizer }, tasks, { bogus: 1 } as object)).rejects.toThrow(
      /unknown option/,
    );
    expect(new Rng(1).int(3)).toBeLessThan(3);
    model.dispose();
  });
});
