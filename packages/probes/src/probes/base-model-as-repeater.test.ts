import { describe, expect, it } from "vitest";
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
