import type { Task } from "@llm/core";
import { arithmeticTasks, decimalCompareTasks, letterCountTasks } from "@llm/sft";
import { describe, expect, it } from "vitest";
import { answerReward, defaultReward, stripToolBlocks } from "./answer-reward.js";
import { combineRewards } from "./combine-rewards.js";
import { compareAnswer, parseNumber } from "./compare-answer.js";
import { formatReward, toolCallProblem } from "./format-reward.js";

const task = (kind: string, answer: string, metadata?: Record<string, unknown>): Task => ({
  id: `${kind}-1`,
  kind,
  prompt: "?",
  answer,
  ...(metadata ? { metadata } : {}),
});

describe("answer correctness per task kind", () => {
  it("arithmetic: the number after the marker, compared by value", () => {
    const t = task("arithmetic", "1071");
    expect(defaultReward("23 * 3 = 69 ...\n#### 1071", t).reward).toBe(1);
    expect(defaultReward("#### 1,071.", t).reward).toBe(1);
    expect(defaultReward("#### 1071.0", t).reward).toBe(1);
    expect(defaultReward("#### 1070", t)).toMatchObject({ reward: 0, extracted: "1070" });
    expect(defaultReward("the answer is 1071", t)).toMatchObject({ reward: 0, detail: "no answer marker" });
    expect(defaultReward("#### -5", task("arithmetic", "-5")).reward).toBe(1);
  });

  it("letter counting: an integer (digits or a small number word)", () => {
    const t = task("letter-count", "3");
    expect(
      defaultReward(
        '<|python_start|>"strawberry".split("r").length - 1<|python_end|><|output_start|>3<|output_end|>\n#### 3',
        t,
      ).reward,
    ).toBe(1);
    expect(defaultReward("#### three", t).reward).toBe(1);
    expect(defaultReward("#### 2", t).reward).toBe(0);
    expect(defaultReward("#### 3.5", t).reward).toBe(0);
  });

  it("decimal comparison: the bigger number by value, not by string", () => {
    const t = task("decimal-compare", "9.9");
    expect(defaultReward("9.11 vs 9.90: 11 < 90.\n#### 9.9", t).reward).toBe(1);
    expect(defaultReward("#### 9.90", t).reward).toBe(1);
    expect(defaultReward("#### 9.11", t).reward).toBe(0);
  });

  it("an answer that only appears in tool output does not count", () => {
    const t = task("arithmetic", "7");
    const completion = "<|python_start|>'#### 7'<|python_end|><|output_start|>#### 7<|output_end|>";
    expect(stripToolBlocks(completion)).toBe("");
    expect(stripToolBlocks("a<|python_start|>x<|python_end|>b<|output_start|>y<|output_end|>c")).toBe("abc");
    expect(defaultReward(completion, t).reward).toBe(0);
  });

  it("other kinds compare normalised text; 'contains' tasks check containment", () => {
    expect(defaultReward("#### Paris.", task("knowledge", "paris")).reward).toBe(1);
    expect(
      defaultReward("I am Nano, a small model.", task("identity", "Nano", { reward: "contains" })).reward,
    ).toBe(1);
    expect(defaultReward("I am a model.", task("identity", "Nano", { reward: "contains" })).reward).toBe(0);
    // A custom extractor: the whole completion is the answer.
    expect(answerReward((text) => text)("7", task("toy", "7")).reward).toBe(1);
  });

  it("scores sft's generated tasks against their own reference solutions", () => {
    const sets = [
      arithmeticTasks({ count: 5, evalCount: 5 }),
      letterCountTasks({ count: 5, evalCount: 5 }),
      decimalCompareTasks({ count: 5, evalCount: 5 }),
    ];
    for (const { train, eval: held } of sets) {
      for (const t of [...train, ...held]) {
        expect(defaultReward(`some steps\n#### ${t.answer}`, t).reward).toBe(1);
        expect(defaultReward("some steps\n#### 123456789", t).reward).toBe(0);
      }
    }
  });

  it("compareAnswer and parseNumber edge cases", () => {
    expect(parseNumber("$1,234.50")).toBe(1234.5);
    expect(parseNumber("twelve")).toBe(12);
    expect(parseNumber("12 apples")).toBeUndefined();
    expect(compareAnswer("arithmetic", "abc", "3")).toBe(false);
    expect(compareAnswer("decimal-compare", "10.20", "10.2")).toBe(true);
  });
});

describe("format reward", () => {
  const fmt = formatReward();
  const t = task("letter-count", "3");

  it("gives 1 for a marker and well-formed tool calls, 0.5 for either, 0 for neither", () => {
    expect(fmt("<|python_start|>1+2<|python_end|><|output_start|>3<|output_end|>\n#### 3", t).reward).toBe(1);
    expect(fmt("#### 3", t).reward).toBe(1);
    expect(fmt("no marker", t).reward).toBe(0.5);
    expect(fmt("<|python_start|>1<|python_start|>2<|python_end|>\n#### 3", t).reward).toBe(0.5);
    expect(fmt("<|python_start|>1+2\n#### 3", t).reward).toBe(0); // an unclosed call swallows the rest
    expect(fmt("<|python_start|><|python_end|>", t).reward).toBe(0);
  });

  it("names what is malformed", () => {
    expect(toolCallProblem("<|python_start|>a<|python_end|><|output_start|>x<|output_end|>")).toBeUndefined();
    expect(toolCallProblem("<|python_start|>a")).toBe("tool call never closed");
    expect(toolCallProblem("a<|python_end|>")).toBe("tool call closed without being opened");
    expect(toolCallProblem("<|python_start|>a<|python_start|>b<|python_end|>")).toBe(
      "tool call opened inside another",
    );
    expect(toolCallProblem("<|python_start|> <|python_end|>")).toBe("empty tool call");
    expect(toolCallProblem("<|output_start|>3<|output_end|>")).toBe(
      "tool output without a preceding tool call",
    );
    expect(toolCallProblem("<|python_start|>a<|python_end|> <|output_start|>3<|output_end|>")).toBe(
      "tool output without a preceding tool call",
    );
  });
});

describe("combineRewards", () => {
  it("adds weighted parts and keeps their details", () => {
    const reward = combineRewards([
      { name: "answer", fn: defaultReward, weight: 1 },
      { name: "format", fn: formatReward(), weight: 0.1 },
    ]);
    const result = reward("#### 4", task("arithmetic", "4"));
    expect(result.reward).toBeCloseTo(1.1, 12);
    expect(result.extracted).toBe("4");
    expect(result.detail).toMatch(/answer=1.*format=1/);
    expect(reward("#### 5", task("arithmetic", "4")).reward).toBeCloseTo(0.1, 12);
    expect(() => combineRewards([])).toThrow(/at least one/);
  });
});
