import { describe, expect, it } from "vitest";
import { ScriptedChatEngine } from "../testing/index.js";
import {
  containsAnswer,
  defaultKnowledgeTasks,
  isExactSearch,
  knowledgeAndRefusalFinding,
  knowledgeAndRefusalProbe,
} from "./knowledge-and-refusal.js";

const input = await defaultKnowledgeTasks();
const facts = new Map(input.known.map((t) => [t.prompt, t.answer]));

describe("knowledgeAndRefusalProbe", () => {
  it("measures accuracy, refusals and false refusals, base vs SFT", async () => {
    // SFT knows the first 4 facts, refuses the other known ones and every unknown entity.
    const known = input.known.slice(0, 4).map((t) => t.prompt);
    const sft = new ScriptedChatEngine(({ prompt }) =>
      known.includes(prompt)
        ? `It is ${facts.get(prompt)}.`
        : "I don't know, I have no information about that.",
    );
    // The base model makes something up for everything.
    const base = new ScriptedChatEngine(() => "It was founded in 1887 by John Smith.");
    const result = await knowledgeAndRefusalProbe().run({ engines: { base, sft } });
    const n = input.known.length;
    expect(n).toBeGreaterThan(4);
    expect(result.metrics["sft.knownAccuracy"]).toBeCloseTo(4 / n);
    expect(result.metrics["sft.knownFalseRefusalRate"]).toBeCloseTo((n - 4) / n);
    expect(result.metrics["sft.unknownRefusalRate"]).toBe(1);
    expect(result.metrics["sft.unknownHallucinationRate"]).toBe(0);
    expect(result.metrics["base.unknownRefusalRate"]).toBe(0);
    expect(result.metrics["base.knownAccuracy"]).toBe(0);
    expect(result.finding).toBe(
      `SFT says it doesn't know for 100% of unknown entities vs 0% for the base model (+100 points), while answering ${Math.round(400 / n)}% of known ones correctly and refusing ${Math.round((100 * (n - 4)) / n)}% of them.`,
    );
  });

  it("a hedged right answer is a refusal, not a correct answer; answers match whole words only", async () => {
    const known = [
      { id: "a", kind: "knowledge", prompt: "Capital of France?", answer: "Paris" },
      { id: "b", kind: "knowledge", prompt: "Symbol for gold?", answer: "Au" },
      {
        id: "c",
        kind: "knowledge",
        prompt: "Days in a week?",
        answer: "seven",
        metadata: { aliases: ["7"] },
      },
    ];
    const sft = new ScriptedChatEngine(({ prompt }) =>
      prompt.includes("France")
        ? "I'm not sure, maybe Paris."
        : prompt.includes("gold")
          ? "Aurum, gaudy stuff."
          : "7 days.",
    );
    const result = await knowledgeAndRefusalProbe().run({
      engines: { sft },
      inputs: { "knowledge-and-refusal": { known, unknown: input.unknown.slice(0, 2) } },
    });
    expect(result.metrics["sft.knownAccuracy"]).toBeCloseTo(1 / 3);
    expect(result.metrics["sft.knownFalseRefusalRate"]).toBeCloseTo(1 / 3);
    expect(result.metrics["sft.unknownRefusalRate"]).toBe(0);
    expect(containsAnswer("seven days", known[2]!)).toBe(true);
    expect(containsAnswer("我住在Paris。", known[0]!)).toBe(true);
    expect(containsAnswer("Parisian", known[0]!)).toBe(false);
  });

  it("with tools, scores what the model writes after looking the entity up, not the tool output", async () => {
    const known = input.known.slice(0, 2);
    const unknown = input.unknown.slice(0, 2);
    const answers = new Map(known.map((t) => [t.prompt, t.answer]));
    // Looks everything up; copies the fact of the first known entity, only repeats the second's
    // result in the tool output (so it must not count), and refuses when nothing is found.
    const sft = new ScriptedChatEngine(({ prompt, options }) => {
      const fact = answers.get(prompt);
      if (options.tools === false) return "It is a small town.";
      return {
        text: "",
        // only the first known entity's name is copied into the call exactly
        toolCall: {
          code:
            prompt === known[0]?.prompt
              ? `search(${JSON.stringify(known[0].metadata?.entity)})`
              : 'search("X")',
          output: fact ? JSON.stringify([`X: ${fact}`]) : "[]",
        },
        after:
          fact === undefined
            ? "I don't know anything about X."
            : prompt === known[0]?.prompt
              ? `It is ${fact}.`
              : "It is old.",
      };
    });
    const inputs = { "knowledge-and-refusal": { known, unknown } };
    const withTools = await knowledgeAndRefusalProbe({ tools: true }).run({ engines: { sft }, inputs });
    expect(withTools.metrics["sft.searchRate"]).toBe(1);
    expect(withTools.metrics["sft.searchExactNameRate"]).toBe(0.25);
    expect(withTools.metrics["sft.knownAccuracy"]).toBe(0.5);
    expect(withTools.metrics["sft.unknownRefusalRate"]).toBe(1);
    expect(withTools.metrics["sft.knownFalseRefusalRate"]).toBe(0);
    expect(withTools.finding).toContain("(tools on: it looked 100% of the entities up");
    const fromMemory = await knowledgeAndRefusalProbe().run({ engines: { sft }, inputs });
    expect(fromMemory.metrics["sft.searchRate"]).toBeUndefined();
    expect(fromMemory.metrics["sft.unknownRefusalRate"]).toBe(0);
  });

  it("counts a search call as exact with the name as written, or with the question's leading space", () => {
    expect(isExactSearch('search("Kalora")', "Kalora")).toBe(true);
    expect(isExactSearch('search(" Kalora")', "Kalora")).toBe(true);
    expect(isExactSearch('search("Kalor")', "Kalora")).toBe(false);
    expect(isExactSearch('search("  Kalora")', "Kalora")).toBe(false);
    expect(isExactSearch('search("kalora")', "Kalora")).toBe(false);
    expect(isExactSearch(undefined, "Kalora")).toBe(false);
  });

  it("rejects malformed inputs", async () => {
    await expect(
      knowledgeAndRefusalProbe().run({
        engines: { sft: new ScriptedChatEngine(() => "") },
        inputs: { "knowledge-and-refusal": { known: [] } },
      }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });

  it("finding for a model that never refuses", () => {
    expect(
      knowledgeAndRefusalFinding({
        "base.knownAccuracy": 0.2,
        "base.knownFalseRefusalRate": 0,
        "base.unknownRefusalRate": 0,
      }),
    ).toBe(
      "The base model never says it doesn't know about unknown entities; it answers 20% of known ones correctly and refuses 0% of them.",
    );
  });
});
