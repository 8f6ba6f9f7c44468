import { describe, expect, it } from "vitest";
import { type ScriptCall, ScriptedChatEngine } from "../testing/index.js";
import {
  decimalComparisonFinding,
  decimalComparisonProbe,
  defaultDecimalComparisonTasks,
  isAdversarialPair,
  withoutEcho,
} from "./decimal-comparison.js";

function decimals(x: string): number {
  return x.split(".")[1]?.length ?? 0;
}

function pair(prompt: string): [string, string] {
  const m = /([\d.]+) or ([\d.]+)\?/.exec(prompt)!;
  return [m[1]!, m[2]!];
}

/** Picks the number with more digits directly (the "9.11 > 9.9" mistake); compares in code with the tool. */
function digitCounter({ prompt, options }: ScriptCall) {
  const [a, b] = pair(prompt);
  const longer = decimals(a) >= decimals(b) ? a : b;
  const larger = Number(a) > Number(b) ? a : b;
  if (options.tools === false) return `${longer} is larger.`;
  return { text: "", toolCall: { code: `Math.max(${a}, ${b})`, output: larger }, after: `\n#### ${larger}` };
}

describe("decimalComparisonProbe", () => {
  it("default tasks are @llm/sft's held-out pairs, split into adversarial and control", async () => {
    const tasks = await defaultDecimalComparisonTasks(30);
    expect(tasks).toHaveLength(30);
    let adversarial = 0;
    for (const t of tasks) {
      const [a, b] = pair(t.prompt);
      expect(t.answer).toBe(Number(a) > Number(b) ? a : b);
      if (isAdversarialPair(a, b)) adversarial++;
    }
    expect(adversarial).toBeGreaterThan(5);
    expect(adversarial).toBeLessThan(30);
    expect(isAdversarialPair("9.11", "9.9")).toBe(true);
    expect(isAdversarialPair("9.9", "9.91")).toBe(false);
    expect(isAdversarialPair("3.4", "3.7")).toBe(false);
  });

  it("a digit-counting model fails every adversarial pair directly and none with the tool", async () => {
    const tasks = await defaultDecimalComparisonTasks(16);
    const result = await decimalComparisonProbe().run({
      engines: { sft: new ScriptedChatEngine(digitCounter) },
      inputs: {
        "decimal-comparison": [
          {
            id: "x",
            kind: "decimal-compare",
            prompt: "Which number is larger, 9.11 or 9.9?",
            answer: "9.9",
            metadata: { a: "9.11", b: "9.9" },
          },
          ...tasks,
        ],
      },
    });
    expect(result.metrics["sft.direct.adversarialAccuracy"]).toBe(0);
    expect(result.metrics["sft.tool.adversarialAccuracy"]).toBe(1);
    expect(result.metrics["sft.tool.controlAccuracy"]).toBe(1);
    // Controls with as many decimals are a coin flip for this model: it picks `a`.
    const controls = tasks.filter((t) => !isAdversarialPair(String(t.metadata?.a), String(t.metadata?.b)));
    const expected = controls.filter((t) => {
      const [a, b] = pair(t.prompt);
      return (decimals(a) >= decimals(b) ? a : b) === t.answer;
    }).length;
    expect(result.metrics["sft.direct.controlAccuracy"]).toBeCloseTo(expected / controls.length);
    expect(result.finding).toMatch(
      /^Answering directly, SFT picks the larger number in only 0% of adversarial pairs \(e.g. 9.11 and 9.9\)/,
    );
    expect(result.finding).toContain("with the tool it gets 100% of adversarial pairs right (+100 points)");
  });

  it("an answer naming neither candidate, or both with the wrong one last, is wrong", async () => {
    const engine = new ScriptedChatEngine(({ prompt }) => {
      const [a, b] = pair(prompt);
      const larger = Number(a) > Number(b) ? a : b;
      const smaller = larger === a ? b : a;
      return prompt.includes("9.11") ? "It is 42." : `Not ${larger}, it is ${smaller}.`;
    });
    const result = await decimalComparisonProbe({ count: 8 }).run({ engines: { rl: engine } });
    expect(result.metrics["rl.direct.adversarialAccuracy"]).toBe(0);
    expect(result.metrics["rl.direct.controlAccuracy"]).toBe(0);
  });

  it("finding wording follows the numbers", () => {
    const same = decimalComparisonFinding(
      {
        "sft.direct.adversarialAccuracy": 0.8,
        "sft.direct.controlAccuracy": 0.81,
        "sft.tool.adversarialAccuracy": 0.8,
        "sft.tool.controlAccuracy": 0.8,
      },
      [9.11, 9.9],
    );
    expect(same).toBe(
      "Answering directly, SFT picks the larger number about as often on adversarial pairs (e.g. 9.11 and 9.9) as on control pairs (80% vs 81%); the tool does not change that (80%).",
    );
    const better = decimalComparisonFinding({
      "base.direct.adversarialAccuracy": 0.6,
      "base.direct.controlAccuracy": 0.4,
      "base.tool.adversarialAccuracy": 0.5,
      "base.tool.controlAccuracy": 0.5,
    });
    expect(better).toBe(
      "Answering directly, the base model picks the larger number in 60% of adversarial pairs, more often than in control pairs (40%, +20 points); with the tool it gets 50% of adversarial pairs right (-10 points).",
    );
  });
});

describe("withoutEcho", () => {
  it("removes echoes of the pair so repeating the question is no answer", async () => {
    const task = {
      id: "x",
      kind: "decimal-compare",
      prompt: "",
      answer: "9.9",
      metadata: { a: "9.11", b: "9.9" },
    };
    expect(withoutEcho("Which number is larger, 9.11 or 9.9? And 9.9 vs 9.11.", task)).not.toMatch(
      /9\.9|9\.11/,
    );
    expect(withoutEcho("9.9 is larger than 9.11", task)).toBe("9.9 is larger than 9.11");
    expect(withoutEcho("19.9 or 9.11", task)).toBe("19.9 or 9.11");
    const echo = new ScriptedChatEngine(({ prompt }) => `${prompt} Which number is larger`);
    const result = await decimalComparisonProbe({ count: 8 }).run({ engines: { base: echo } });
    expect(result.metrics["base.direct.adversarialAccuracy"]).toBe(0);
    expect(result.metrics["base.direct.controlAccuracy"]).toBe(0);
  });
});
