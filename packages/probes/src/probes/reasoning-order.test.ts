import { arithmeticTasks } from "@llm/sft";
import { describe, expect, it } from "vitest";
import { ScriptedChatEngine } from "../testing/index.js";
import { reasoningOrderFinding, reasoningOrderProbe } from "./reasoning-order.js";

const tasks = arithmeticTasks({ evalCount: 10 }).eval;
const answers = new Map(tasks.map((t) => [t.prompt, Number(t.answer)]));
function evaluate(prompt: string): number {
  return answers.get(prompt)!;
}

describe("reasoningOrderProbe", () => {
  it("scores the first number of answer-first and the last of steps-first replies (default tasks)", async () => {
    // Answer-first is right on every other call; steps-first works it out.
    const answerFirst = new ScriptedChatEngine(({ prompt, call }) => {
      const value = evaluate(prompt);
      return call % 2 === 0 ? `${value}. Because I computed it.` : `${value + 1}. Then ${value} is close.`;
    });
    const stepsFirst = new ScriptedChatEngine(({ prompt }) => {
      const value = evaluate(prompt);
      return `First step 1 + 1 = 2. So the answer is ${value}.`;
    });
    const result = await reasoningOrderProbe({ count: 10 }).run({
      engines: {},
      variants: { "answer-first": answerFirst, "steps-first": stepsFirst },
    });
    expect(result.metrics["answerFirst.accuracy"]).toBe(0.5);
    expect(result.metrics["stepsFirst.accuracy"]).toBe(1);
    expect(result.metrics["stepsFirst.meanTokens"]).toBeGreaterThan(
      result.metrics["answerFirst.meanTokens"]!,
    );
    expect(result.finding).toBe(
      "On the same 10 held-out problems, the steps-first model is right 100% of the time vs 50% for the answer-first model (+50 points).",
    );
  });

  it("prefers the #### marker over the position rule", async () => {
    const answerFirst = new ScriptedChatEngine(({ prompt }) => `Steps: 1 + 1 = 2.\n#### ${evaluate(prompt)}`);
    const stepsFirst = new ScriptedChatEngine(
      ({ prompt }) => `#### ${evaluate(prompt) + 1}\nthen ${evaluate(prompt)}`,
    );
    const result = await reasoningOrderProbe({ count: 10 }).run({
      engines: {},
      variants: { "answer-first": answerFirst, "steps-first": stepsFirst },
    });
    expect(result.metrics["answerFirst.accuracy"]).toBe(1);
    expect(result.metrics["stepsFirst.accuracy"]).toBe(0);
  });

  it("needs both variants", async () => {
    await expect(
      reasoningOrderProbe().run({
        engines: {},
        variants: { "steps-first": new ScriptedChatEngine(() => "1") },
      }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });

  it("finding changes with the sign of the gap", () => {
    expect(reasoningOrderFinding({ tasks: 1, "stepsFirst.accuracy": 0.1, "answerFirst.accuracy": 0.3 })).toBe(
      "On the same 1 held-out problem, the steps-first model is right only 10% of the time, below the answer-first model's 30% (-20 points).",
    );
    expect(
      reasoningOrderFinding({ tasks: 5, "stepsFirst.accuracy": 0.4, "answerFirst.accuracy": 0.4 }),
    ).toContain("right about equally often (40% vs 40%, ±0 points)");
  });
});
