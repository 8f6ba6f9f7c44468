import type { ProbeContext } from "@llm/core";
import { describe, expect, it } from "vitest";
import { type ScriptCall, ScriptedChatEngine } from "../testing/index.js";
import { defaultLetterCountingTasks, letterCountingFinding, letterCountingProbe } from "./letter-counting.js";

/** Parses both of @llm/sft's prompt templates and counts for real. */
function truth(prompt: string): number {
  const m = /How many "(\w)" are in "(\w+)"|the letter "?(\w)"? appear in "?(\w+)"?/.exec(prompt)!;
  const [letter, word] = m[1] ? [m[1], m[2]!] : [m[3]!, m[4]!];
  return word.split(letter).length - 1;
}

/** A model that always guesses 2 directly and uses the tool correctly when tools are on. */
function toolUser({ prompt, options }: ScriptCall) {
  const count = truth(prompt);
  if (options.tools === false) return "Let me think.\n#### 2";
  return {
    text: "Let me count with code.",
    toolCall: { code: "count()", output: String(count) },
    after: `\n#### ${count}`,
  };
}

describe("letterCountingProbe", () => {
  it("default tasks are @llm/sft's held-out split and carry true counts", async () => {
    const tasks = await defaultLetterCountingTasks(10);
    expect(tasks).toHaveLength(10);
    expect(tasks.every((t) => t.metadata?.split === "eval")).toBe(true);
    for (const t of tasks) expect(Number(t.answer)).toBe(truth(t.prompt));
  });

  it("measures direct vs tool accuracy per stage on scripted outputs", async () => {
    const tasks = await defaultLetterCountingTasks(12);
    const expectedDirect = tasks.filter((t) => t.answer === "2").length / tasks.length;
    const context: ProbeContext = {
      engines: {
        base: new ScriptedChatEngine(() => "the the the"),
        sft: new ScriptedChatEngine(toolUser),
      },
      inputs: { "letter-counting": tasks },
    };
    const result = await letterCountingProbe().run(context);
    expect(result.metrics["sft.directAccuracy"]).toBeCloseTo(expectedDirect);
    expect(result.metrics["sft.toolAccuracy"]).toBe(1);
    expect(result.metrics["sft.toolCallRate"]).toBe(1);
    expect(result.metrics["sft.unclosedToolCallRate"]).toBe(0);
    expect(result.metrics["sft.toolCallAccuracy"]).toBe(1);
    expect(result.metrics["base.toolCallAccuracy"]).toBeUndefined();
    expect(result.metrics["base.directAccuracy"]).toBe(0);
    expect(result.metrics["base.toolAccuracy"]).toBe(0);
    expect(result.finding).toContain("With the tool, SFT counts letters correctly 100% of the time vs");
    expect(result.finding).toContain("the base model: 0% direct, 0% with the tool");
    expect(result.examples.length).toBe(4);
    expect(result.examples.some((e) => e.correct === false)).toBe(true);
  });

  it("does not credit a count that only the tool output states", async () => {
    const engine = new ScriptedChatEngine(({ prompt }) => ({
      text: "Running code.",
      toolCall: { code: "count()", output: String(truth(prompt)) },
      after: " Done, see above.",
    }));
    const tasks = await defaultLetterCountingTasks(4);
    const result = await letterCountingProbe().run({
      engines: { sft: engine },
      inputs: { "letter-counting": tasks },
    });
    expect(result.metrics["sft.toolAccuracy"]).toBe(0);
  });

  it("scores a wrong tool answer as wrong", async () => {
    const engine = new ScriptedChatEngine(({ prompt }) => ({
      text: "",
      toolCall: { code: "count()", output: String(truth(prompt)) },
      after: ` So there are ${truth(prompt) + 1}.`, // no marker: the last number counts
    }));
    const result = await letterCountingProbe({ count: 5 }).run({ engines: { sft: engine } });
    expect(result.metrics["sft.toolAccuracy"]).toBe(0);
    expect(result.metrics.tasks).toBe(5);
  });

  it("counts a call whose code never closes apart from answering without the tool", async () => {
    const tasks = await defaultLetterCountingTasks(8);
    let asked = 0;
    // with tools on, every other word gets a call that loops inside its string literal
    const engine = new ScriptedChatEngine((call) => {
      if (call.options.tools === false) return "Let me think.\n#### 2";
      return asked++ % 2 === 0 ? toolUser(call) : `<|python_start|>"lou${"ght".repeat(20)}`;
    });
    const result = await letterCountingProbe().run({
      engines: { sft: engine },
      inputs: { "letter-counting": tasks },
    });
    expect(result.metrics["sft.toolCallRate"]).toBe(0.5);
    expect(result.metrics["sft.unclosedToolCallRate"]).toBe(0.5);
    expect(result.metrics["sft.toolCallAccuracy"]).toBe(1);
    expect(result.metrics["sft.toolAccuracy"]).toBe(0.5);
    expect(result.finding).toContain(
      "calling the tool for 50% of the words (right 100% of the time when it did) and starting one whose code never closed for 50%",
    );
  });

  it("finding wording follows the sign and size of the gap", () => {
    expect(letterCountingFinding({ "sft.directAccuracy": 0.31, "sft.toolAccuracy": 0.94 })).toBe(
      "With the tool, SFT counts letters correctly 94% of the time vs 31% answering directly (+63 points).",
    );
    expect(letterCountingFinding({ "sft.directAccuracy": 0.5, "sft.toolAccuracy": 0.2 })).toBe(
      "With the tool, SFT counts letters correctly only 20% of the time, below 50% answering directly (-30 points).",
    );
    expect(
      letterCountingFinding({
        "sft.directAccuracy": 0.2,
        "sft.toolAccuracy": 0.66,
        "sft.toolCallRate": 0.6,
        "sft.toolCallAccuracy": 0.95,
        "rl.directAccuracy": 0.1,
        "rl.toolAccuracy": 0.94,
        "rl.toolCallRate": 1,
        "rl.toolCallAccuracy": 0.94,
      }),
    ).toBe(
      "With the tool, SFT counts letters correctly 66% of the time vs 20% answering directly (+46 points), calling the tool for 60% of the words (right 95% of the time when it did); RL: 10% direct, 94% with the tool.",
    );
    expect(letterCountingFinding({ "sft.directAccuracy": 0.5, "sft.toolAccuracy": 0.51 })).toBe(
      "SFT counts letters correctly about as often with the tool (51%) as answering directly (50%, +1 point).",
    );
  });

  it("is skipped-able: throws INVALID_INPUT without engines", async () => {
    await expect(letterCountingProbe().run({ engines: {} })).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });
});
