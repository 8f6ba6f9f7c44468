import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Rng, type StepEvent, type Task } from "@llm/core";
import { GPT, initBackend, loadCheckpoint } from "@llm/model";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CharTokenizer } from "./__fixtures__/char-tokenizer.js";
import { answerReward } from "./rewards/answer-reward.js";
import { trainGrpo } from "./train-grpo.js";

/**
 * Toy task: the prompt is a string of three digits; the reward is 1 when the completion starts
 * with "7". The freshly initialised model (zeroed head: uniform over 20 ids) earns it 5% of the
 * time; RL has to find and reinforce it. Held-out prompts are digit strings never trained on.
 */
const tokenizer = new CharTokenizer("0123456789?");
function toyTasks(count: number, seed: number): Task[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, (_, i) => {
    const digits = Array.from({ length: 3 }, () => rng.int(10)).join("");
    return { id: `toy-${seed}-${i}`, kind: "toy", prompt: digits, answer: "7" };
  });
}
const firstChar = answerReward((text) => (text === "" ? undefined : text.slice(0, 1)));

let dir: string;
beforeAll(async () => {
  await initBackend("wasm"); // the default backend on machines without libtensorflow
  dir = await mkdtemp(join(tmpdir(), "llm-rl-e2e-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("trainGrpo end to end", () => {
  it("raises held-out reward on a toy task by a clear margin, with metrics, events and a checkpoint", async () => {
    const train = toyTasks(200, 1);
    const trainPrompts = new Set(train.map((t) => t.prompt));
    const heldOut = toyTasks(40, 2)
      .filter((t) => !trainPrompts.has(t.prompt))
      .slice(0, 8);
    const model = new GPT(
      { vocabSize: tokenizer.vocabSize, seqLen: 16, nLayer: 1, nHead: 2, nEmbd: 32 },
      { seed: 1 },
    );
    const events: StepEvent[] = [];
    const started = performance.now();
    const before = tf.memory().numTensors;
    const result = await trainGrpo(
      { model, tokenizer },
      train,
      {
        steps: 16,
        promptsPerStep: 4,
        groupSize: 8,
        maxNewTokens: 2,
        learningRate: 1e-2,
        evalEvery: 8,
        evalSamples: 8,
        evalK: 4,
        tools: false,
        seed: 0,
      },
      { onStep: (e) => events.push(e) },
      { reward: firstChar, heldOut, checkpointDir: join(dir, "rl") },
    );
    const seconds = (performance.now() - started) / 1000;
    expect(tf.memory().numTensors).toBe(before);
    const first = result.evaluations[0];
    const last = result.evaluations.at(-1);
    console.log(
      `toy GRPO: held-out reward ${first?.meanReward.toFixed(3)} -> ${last?.meanReward.toFixed(3)}, pass@1 ${first?.passAt1.toFixed(3)} -> ${last?.passAt1.toFixed(3)}, pass@4 ${first?.passAtK.toFixed(3)} -> ${last?.passAtK.toFixed(3)} in ${seconds.toFixed(1)} s, max logProbGap ${Math.max(...result.steps.map((x) => x.logProbGap)).toExponential(1)}`,
    );
    expect(result.evaluations.map((e) => e.step)).toEqual([0, 8, 16]);
    expect(first?.meanReward ?? 1).toBeLessThan(0.2);
    expect((last?.meanReward ?? 0) - (first?.meanReward ?? 0)).toBeGreaterThan(0.4);
    expect(last?.passAtK ?? 0).toBeGreaterThanOrEqual(last?.passAt1 ?? 1);
    // One event per step with the RL metrics; evaluation steps carry pass@k.
    expect(events).toHaveLength(16);
    for (const e of events) {
      expect(e.stage).toBe("rl");
      for (const key of ["reward", "completionLength", "clipFraction", "kl", "entropy"]) {
        expect(Number.isFinite(e.metrics?.[key])).toBe(true);
      }
    }
    expect(events[7]?.metrics?.passAt1).toBeDefined();
    expect(events[7]?.metrics?.passAt4).toBeDefined();
    expect(events[0]?.metrics?.passAt1).toBeUndefined();
    // Training reward rises too; the policy gets sharper (lower entropy).
    const meanOf = (xs: StepEvent[], k: string) =>
      xs.reduce((a, e) => a + (e.metrics?.[k] ?? 0), 0) / xs.length;
    expect(meanOf(events.slice(-5), "reward")).toBeGreaterThan(meanOf(events.slice(0, 5), "reward"));
    expect(meanOf(events.slice(-5), "entropy")).toBeLessThan(meanOf(events.slice(0, 5), "entropy"));
    // The KV-cache sampling log-probs agree with the training forward pass.
    for (const s of result.steps) expect(s.logProbGap).toBeLessThan(1e-3);
    // The checkpoint holds the trained weights.
    expect(await readdir(join(dir, "rl"))).toEqual(
      expect.arrayContaining(["model.safetensors", "state.json"]),
    );
    const state = JSON.parse(await readFile(join(dir, "rl", "state.json"), "utf8"));
    expect(state).toMatchObject({ step: 16, stage: "rl" });
    const loaded = await loadCheckpoint(join(dir, "rl"));
    const same = tf.tidy(() => {
      const ids = tf.tensor2d([[1, 2, 3]], [1, 3], "int32");
      return tf.max(tf.abs(tf.sub(model.forward(ids), loaded.model.forward(ids)))).dataSync()[0] as number;
    });
    expect(same).toBeLessThan(1e-6);
    loaded.model.dispose();
    model.dispose();
  });
});
