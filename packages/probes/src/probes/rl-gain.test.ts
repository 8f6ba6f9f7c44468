import type { Task } from "@llm/core";
import { arithmeticTasks } from "@llm/sft";
import { describe, expect, it } from "vitest";
import { ScriptedChatEngine } from "../testing/index.js";
import { numericAnswerReward, rlGainFinding, rlGainProbe } from "./rl-gain.js";

const tasks = arithmeticTasks({ evalCount: 6 }).eval;
const answers = new Map(tasks.map((t) => [t.prompt, Number(t.answer)]));

describe("rlGainProbe", () => {
  it("measures mean reward and pass@1 from samples, SFT vs RL", async () => {
    // SFT is right on 1 of 4 samples (seed-dependent), RL on 3 of 4.
    const sft = new ScriptedChatEngine(({ prompt, options }) => {
      const a = answers.get(prompt)!;
      return `#### ${(options.seed ?? 0) % 4 === 0 ? a : a + 1}`;
    });
    const rl = new ScriptedChatEngine(({ prompt, options }) => {
      const a = answers.get(prompt)!;
      return `Steps.\n#### ${(options.seed ?? 0) % 4 === 3 ? a - 1 : a}`;
    });
    const result = await rlGainProbe({ samples: 4, count: 6 }).run({ engines: { sft, rl } });
    expect(result.metrics["sft.passAt1"]).toBe(0.25);
    expect(result.metrics["rl.passAt1"]).toBe(0.75);
    expect(result.metrics["sft.meanReward"]).toBe(0.25);
    expect(result.metrics["rl.meanReward"]).toBe(0.75);
    // pass@4 with 4 samples: a task counts when any sample is right.
    expect(result.metrics["sft.passAt4"]).toBe(1);
    expect(result.metrics["rl.passAt4"]).toBe(1);
    expect(result.finding).toBe(
      "After RL, pass@1 on 6 held-out tasks is 75% vs 25% after SFT (+50 points; mean reward 0.75 vs 0.25).",
    );
  });

  it("the default reward ignores numbers that only the tool output gives", () => {
    const task: Task = { id: "t", kind: "arithmetic", prompt: "What is 2 + 3?", answer: "5" };
    expect(numericAnswerReward("It is 5.", task).reward).toBe(1);
    expect(
      numericAnswerReward("<|python_start|>2+3<|python_end|><|output_start|>5<|output_end|>Done.", task)
        .reward,
    ).toBe(0);
    expect(
      numericAnswerReward("<|python_start|>2+3<|python_end|><|output_start|>5<|output_end|>So 5.", task)
        .reward,
    ).toBe(1);
    expect(numericAnswerReward("It is 6.", task)).toEqual({ reward: 0, extracted: "6" });
  });

  it("uses a custom reward and threshold", async () => {
    const engine = new ScriptedChatEngine(() => "half right");
    const result = await rlGainProbe({
      samples: 2,
      count: 3,
      reward: () => ({ reward: 0.5 }),
      passThreshold: 0.5,
    }).run({
      engines: { sft: engine, rl: engine },
    });
    expect(result.metrics["rl.passAt1"]).toBe(1);
    expect(result.metrics["rl.meanReward"]).toBe(0.5);
    expect(result.finding).toContain("RL leaves pass@1 on 3 held-out tasks about where SFT had it");
  });

  it("needs both SFT and RL", async () => {
    await expect(
      rlGainProbe().run({ engines: { sft: new ScriptedChatEngine(() => "") } }),
    ).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
    expect(
      rlGainFinding({
        tasks: 2,
        "sft.passAt1": 0.5,
        "rl.passAt1": 0.3,
        "sft.meanReward": 0.5,
        "rl.meanReward": 0.3,
      }),
    ).toBe(
      "After RL, pass@1 on 2 held-out tasks falls to 30% from 50% after SFT (-20 points; mean reward 0.30 vs 0.50).",
    );
  });
});
