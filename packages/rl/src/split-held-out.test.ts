import type { Task } from "@llm/core";
import { describe, expect, it } from "vitest";
import { rlTaskSets } from "./rl-task-sets.js";
import { splitHeldOut } from "./split-held-out.js";

const tasks: Task[] = Array.from({ length: 30 }, (_, i) => ({
  id: `t${i}`,
  kind: "toy",
  prompt: `prompt ${i % 20}`, // 10 prompts appear twice
  answer: String(i),
}));

describe("held-out prompt sets", () => {
  it("splitHeldOut keeps held-out prompts out of training, deterministically", () => {
    const a = splitHeldOut(tasks, 5, 1);
    const b = splitHeldOut(tasks, 5, 1);
    expect(a).toEqual(b);
    expect(a.heldOut).toHaveLength(5);
    const held = new Set(a.heldOut.map((t) => t.prompt));
    expect(held.size).toBe(5);
    expect(a.train.some((t) => held.has(t.prompt))).toBe(false);
    expect(a.train.length + a.heldOut.length).toBeLessThanOrEqual(30);
    expect(splitHeldOut(tasks, 5, 2).heldOut).not.toEqual(a.heldOut);
    expect(() => splitHeldOut(tasks, 21)).toThrow(/distinct prompts/);
  });

  it("rlTaskSets mixes sft's task families with their disjoint held-out splits", () => {
    const sets = rlTaskSets(["arithmetic", "letter-count", "decimal-compare"], {
      count: 20,
      evalCount: 5,
      seed: 3,
    });
    expect(sets.train).toHaveLength(60);
    expect(sets.heldOut).toHaveLength(15);
    expect(new Set(sets.train.map((t) => t.kind))).toEqual(
      new Set(["arithmetic", "letter-count", "decimal-compare"]),
    );
    const trainPrompts = new Set(sets.train.map((t) => t.prompt));
    const arithmeticHeld = sets.heldOut.filter((t) => t.kind === "arithmetic");
    expect(arithmeticHeld.some((t) => trainPrompts.has(t.prompt))).toBe(false);
    expect(() => rlTaskSets(["nope" as "arithmetic"])).toThrow(/Unknown RL task kind/);
  });

  it("rlTaskSets draws arithmetic with the operations and operand range it is given", () => {
    const sets = rlTaskSets(["arithmetic"], {
      count: 40,
      evalCount: 10,
      arithmetic: { ops: ["+"], maxOperand: 20 },
    });
    for (const task of [...sets.train, ...sets.heldOut]) {
      const [a, b] = (task.prompt.match(/\d+/g) ?? []).map(Number);
      expect(task.prompt).toContain("+");
      expect(task.prompt).not.toMatch(/[*]| - /);
      expect(a! + b!).toBe(Number(task.answer));
      expect(Math.max(a!, b!)).toBeLessThanOrEqual(20);
    }
    const words = ["alpha", "bravo", "charlie", "delta", "echo"];
    const letters = rlTaskSets(["letter-count"], { count: 20, evalCount: 4, letterCount: { words } });
    for (const task of [...letters.train, ...letters.heldOut]) expect(words).toContain(task.metadata?.word);
    const lists = rlTaskSets(["word-count"], { count: 20, evalCount: 4, wordCount: { words, maxWords: 4 } });
    for (const task of [...lists.train, ...lists.heldOut]) {
      const list = task.metadata?.words as string[];
      expect(list.length).toBeLessThanOrEqual(4);
      for (const word of list) expect(words).toContain(word);
      expect(task.answer).toBe(String(list.length));
    }
  });

  it("rlTaskSets asks word counts about sentence-like texts in other phrasings with paraphraseShare", () => {
    const words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"];
    const sets = rlTaskSets(["letter-count", "word-count"], {
      count: 40,
      evalCount: 4,
      seed: 1,
      wordCount: { words, maxWords: 6, paraphraseShare: 1, repeatShare: 0.3 },
    });
    const counts = sets.train.filter((t) => t.kind === "word-count");
    expect(counts).toHaveLength(40);
    expect(sets.train.filter((t) => t.kind === "letter-count")).toHaveLength(40);
    // other phrasings: none on the two templates; each answer is its text's number of words
    const templated = counts.filter((t) =>
      /^(How many words are in this list|Count the words): /.test(t.prompt),
    );
    expect(templated).toEqual([]);
    for (const task of counts) {
      const list = task.metadata?.words as string[];
      expect(task.prompt.toLowerCase()).toContain(list.join(" ").toLowerCase());
      expect(task.answer).toBe(String(list.length));
    }
    // held-out word counts stay the template lists
    for (const task of sets.heldOut.filter((t) => t.kind === "word-count"))
      expect(task.prompt).toMatch(/^(How many words are in this list|Count the words): /);
  });
});
