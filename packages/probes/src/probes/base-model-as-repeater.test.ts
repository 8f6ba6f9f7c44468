import { describe, expect, it } from "vitest";
import type { ChartSpec } from "../report/report-section.js";
import { CharTokenizer, MemorizingGenerator, ScriptedChatEngine } from "../testing/index.js";
import { baseModelAsRepeaterProbe, repeaterFinding } from "./base-model-as-repeater.js";

const training = [
  "Call me Ishmael. Some years ago, never mind how long precisely, having little money in my purse.",
  "It was the best of times, it was the worst of times, it was the age of wisdom, it was the age of foolishness.",
  "In a hole in the ground there lived a hobbit. Not a nasty, dirty, wet hole, filled with the ends of worms.",
];
const heldOut = [
  "The committee met on Tuesday to discuss the budget for the new library wing and its opening hours.",
  "Our small garden produced more tomatoes this year than the whole street could eat in a month of dinners.",
];

describe("baseModelAsRepeaterProbe", () => {
  it("a memorising base model repeats training passages verbatim and not held-out ones", async () => {
    const tokenizer = new CharTokenizer();
    // It memorised the training text with <|bos|> in front, as in pretraining.
    const bos = tokenizer.specialId("<|bos|>");
    const generator = new MemorizingGenerator(tokenizer, [
      ...training.slice(0, 2).map((t) => [bos, ...tokenizer.encode(t)]),
      [bos, ...tokenizer.encode(training[2]!.replace("worms", "apples"))],
    ]);
    const result = await baseModelAsRepeaterProbe({ prefixTokens: 20, continuationTokens: 70 }).run({
      engines: {
        base: new ScriptedChatEngine(
          () => "What is the capital of France? What is the capital of Spain? What is",
        ),
        sft: new ScriptedChatEngine(() => "Paris."),
      },
      generators: { base: generator },
      tokenizer,
      inputs: { "base-model-as-repeater": { trainingText: training, heldOutText: heldOut } },
    });
    // The third passage was memorised with a change past the compared window.
    const diverge = training[2]!.indexOf("worms") - 20;
    expect(diverge).toBeGreaterThanOrEqual(70);
    expect(result.metrics["train.verbatimRate"]).toBe(1);
    expect(result.metrics["heldOut.verbatimRate"]).toBe(0);
    expect(result.metrics["train.meanMatchedTokens"]).toBe(70);
    expect(result.metrics["heldOut.passages"]).toBe(2);
    // Off the memorised text the model repeats " the": it matches held-out text only by chance
    // (" " after "The committee met on", then "T" != "t").
    expect(result.metrics["heldOut.meanMatchedTokens"]).toBe(0.5);
    expect(result.metrics["sft.questionMeanTokens"]).toBeLessThan(result.metrics["base.questionMeanTokens"]!);
    expect(result.finding).toBe(
      "Given 20-token prefixes, the base model continues 100% of training passages verbatim for 70 tokens vs 0% of held-out passages (+100 points); on average 70.0 vs 0.5 of 70 tokens match.",
    );
  });

  it("reports verbatim continuation per number of times seen, and draws it as a curve", async () => {
    const tokenizer = new CharTokenizer();
    const bos = tokenizer.specialId("<|bos|>");
    const seen = (texts: string[]) => texts.map((t) => [bos, ...tokenizer.encode(t)]);
    // seen 8 times: both memorised; seen twice: one of two; seen once: none
    const generator = new MemorizingGenerator(tokenizer, [
      ...seen(training.slice(0, 2)),
      ...seen([heldOut[0]!.replace("T", "t")]),
    ]);
    const result = await baseModelAsRepeaterProbe({ prefixTokens: 20, continuationTokens: 40 }).run({
      engines: {},
      generators: { base: generator },
      tokenizer,
      inputs: {
        "base-model-as-repeater": {
          repeated: [
            { repeats: 8, texts: training.slice(0, 2) },
            { repeats: 1, texts: [training[2]!] },
            { repeats: 2, texts: [training[1]!, training[2]!] },
          ],
          heldOutText: heldOut,
        },
      },
    });
    expect(result.metrics["seen8.verbatimRate"]).toBe(1);
    expect(result.metrics["seen2.verbatimRate"]).toBe(0.5);
    expect(result.metrics["seen1.verbatimRate"]).toBe(0);
    expect(result.metrics["seen2.passages"]).toBe(2);
    expect(result.metrics["heldOut.verbatimRate"]).toBe(0);
    expect(result.metrics.maxRepeats).toBe(8);
    expect(result.metrics["train.verbatimRate"]).toBeUndefined();
    const chart = result.details?.chart as ChartSpec;
    expect(chart.type).toBe("line");
    expect(chart.series[0]!.data).toEqual([
      { x: "0 (held out)", y: 0 },
      { x: "1", y: 0 },
      { x: "2", y: 0.5 },
      { x: "8", y: 1 },
    ]);
    expect(chart.series[1]!.data.at(-1)).toEqual({ x: "8", y: 1 });
    // the most repeated passages are the first transcripts
    expect(result.examples[0]!.model).toBe("base (seen 8x)");
    expect(result.finding).toBe(
      "Given 20-token prefixes, the base model continues a passage verbatim for 40 tokens more often the more often it saw it in pretraining: 0% of held-out passages, 0% seen once, 50% seen twice, 100% seen 8 times (half or more from 2 times on).",
    );
    expect(repeaterFinding({ ...result.metrics, "seen8.verbatimRate": 0, "seen2.verbatimRate": 0 })).toBe(
      "Given 20-token prefixes, the base model continues passages verbatim for 40 tokens about as rarely whether it saw them 8 times or never: 0% of held-out passages, 0% seen once, 0% seen twice, 0% seen 8 times.",
    );
  });

  it("rejects repeated groups without a count, and inputs without passages, as not runnable", async () => {
    const tokenizer = new CharTokenizer();
    const run = (input: unknown) =>
      baseModelAsRepeaterProbe().run({
        engines: {},
        tokenizer,
        generators: { base: new MemorizingGenerator(tokenizer, []) },
        inputs: { "base-model-as-repeater": input },
      });
    await expect(run({ repeated: [{ repeats: 0, texts: training }], heldOutText: [] })).rejects.toThrow(
      /repeated\[0\]\.repeats must be an integer >= 1/,
    );
    await expect(run({ heldOutText: heldOut })).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });

  it("counts the tokens matched before the first difference", async () => {
    const tokenizer = new CharTokenizer();
    const generator = new MemorizingGenerator(tokenizer, [
      training[2]!.replace("Not a nasty", "Not a NASTY"),
    ]);
    const result = await baseModelAsRepeaterProbe({
      prefixTokens: 10,
      continuationTokens: 60,
      prependBos: false,
    }).run({
      engines: {},
      generators: { base: generator },
      tokenizer,
      inputs: { "base-model-as-repeater": { trainingText: [training[2]!], heldOutText: [] } },
    });
    expect(result.metrics["train.verbatimRate"]).toBe(0);
    expect(result.metrics["train.meanMatchedTokens"]).toBe(training[2]!.indexOf("Not a nasty") + 6 - 10);
    expect(Number.isNaN(result.metrics["heldOut.verbatimRate"])).toBe(true);
  });

  it("is not runnable without passages, generator or long-enough text", async () => {
    const tokenizer = new CharTokenizer();
    await expect(baseModelAsRepeaterProbe().run({ engines: {}, tokenizer })).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
    await expect(
      baseModelAsRepeaterProbe().run({
        engines: {},
        tokenizer,
        generators: { base: new MemorizingGenerator(tokenizer, []) },
        inputs: { "base-model-as-repeater": { trainingText: ["short"], heldOutText: [] } },
      }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });

  it("finding when training and held-out text are repeated equally", () => {
    expect(
      repeaterFinding({
        prefixTokens: 8,
        continuationTokens: 4,
        "train.verbatimRate": 0.1,
        "heldOut.verbatimRate": 0.1,
        "train.meanMatchedTokens": 1,
        "heldOut.meanMatchedTokens": 1.2,
      }),
    ).toBe(
      "Given 8-token prefixes, the base model continues training passages verbatim about as often as held-out ones (10% vs 10%); on average 1.0 vs 1.2 of 4 tokens match.",
    );
  });
});
