import { Rng } from "@llm/core";
import { describe, expect, it } from "vitest";
import { decimalCompareConversations, decimalCompareTasks } from "./decimal-compare.js";
import { generateKnowledgeBase, knowledgeConversations } from "./knowledge.js";
import { LETTER_COUNT_MORE_PARAPHRASES, letterCountTasks, letterTaskConversations } from "./letter-count.js";
import { varyTemplate } from "./question-variation.js";
import { wordCountTasks } from "./word-count.js";

describe("varyTemplate", () => {
  it("changes case, punctuation, spelling and context but never a slot", () => {
    const rng = new Rng("t");
    const all = { lowerCase: 1, dropPunctuation: 1, typo: 1, context: 1 };
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const out = varyTemplate("How many {l}s are there in {w}?", rng, all);
      expect(out).toContain("{l}");
      expect(out).toContain("{w}");
      expect(out.endsWith("?")).toBe(false);
      expect(out.replace(/\{[a-z]+\}/g, "")).toBe(out.replace(/\{[a-z]+\}/g, "").toLowerCase());
      seen.add(out);
    }
    expect(seen.size).toBeGreaterThan(10);
    expect(
      varyTemplate("Hi {n}.", new Rng("x"), { lowerCase: 0, dropPunctuation: 0, typo: 0, context: 0 }),
    ).toBe("Hi {n}.");
  });
});

describe("paraphraseShare", () => {
  it("letter counting: the same words and answers, other wordings for training only", () => {
    const plain = letterCountTasks({ seed: 3, count: 200, evalCount: 20 });
    const varied = letterCountTasks({ seed: 3, count: 200, evalCount: 20, paraphraseShare: 0.5 });
    expect(varied.eval).toEqual(plain.eval);
    expect(varied.train.map((t) => [t.metadata?.word, t.metadata?.letter, t.answer])).toEqual(
      plain.train.map((t) => [t.metadata?.word, t.metadata?.letter, t.answer]),
    );
    const changed = varied.train.filter((t, i) => t.prompt !== plain.train[i]?.prompt);
    expect(changed.length).toBeGreaterThan(60);
    expect(changed.length).toBeLessThan(140);
    for (const t of changed) expect(t.prompt).toContain(String(t.metadata?.word));
  });

  it("letter counting: moreParaphrases draws from the larger bank, same words and answers", () => {
    const plain = letterCountTasks({ seed: 3, count: 300, evalCount: 20, paraphraseShare: 1 });
    const more = letterCountTasks({
      seed: 3,
      count: 300,
      evalCount: 20,
      paraphraseShare: 1,
      moreParaphrases: true,
    });
    expect(more.eval).toEqual(plain.eval);
    expect(more.train.map((t) => t.answer)).toEqual(plain.train.map((t) => t.answer));
    // a prompt from the added bank: its fixed words ("the count of", "Word:") appear only there
    const starts = LETTER_COUNT_MORE_PARAPHRASES.map(
      (p) => p.split("{")[0]?.toLowerCase().trim() ?? "",
    ).filter((p) => p.length > 8);
    const fromMore = (prompts: string[]) =>
      prompts.filter((p) => starts.some((s) => p.toLowerCase().includes(s))).length;
    expect(fromMore(more.train.map((t) => t.prompt))).toBeGreaterThan(
      fromMore(plain.train.map((t) => t.prompt)) + 50,
    );
  });

  it('letter counting: the "count" call form is count(word, letter) with the question\'s chunks', () => {
    const tasks = letterCountTasks({ seed: 3, count: 100, evalCount: 5, paraphraseShare: 0.5 }).train;
    const conversations = letterTaskConversations(tasks, "tool", "count");
    for (const [i, task] of tasks.entries()) {
      const { word, letter } = task.metadata as { word: string; letter: string };
      const c = conversations[i];
      const code = c?.messages[1]?.toolCalls?.[0]?.code ?? "";
      expect(code).toMatch(new RegExp(`^count\\(" ?${word}", " ?${letter}"\\)$`));
      expect(c?.messages[2]?.content).toBe(String(word.split(letter).length - 1));
    }
  });

  it('decimals: "which is smaller" questions are answered with Math.min and the smaller number', () => {
    const plain = decimalCompareTasks({ seed: 2, count: 200, evalCount: 20 });
    const varied = decimalCompareTasks({ seed: 2, count: 200, evalCount: 20, paraphraseShare: 0.6 });
    expect(varied.eval).toEqual(plain.eval);
    const smaller = varied.train.filter((t) => t.metadata?.want === "min");
    expect(smaller.length).toBeGreaterThan(20);
    for (const t of smaller) {
      const { a, b } = t.metadata as { a: string; b: string };
      expect(Number(t.answer)).toBe(Math.min(Number(a), Number(b)));
    }
    const [conversation] = decimalCompareConversations(smaller.slice(0, 1));
    expect(conversation?.messages[1]?.toolCalls?.[0]?.code).toMatch(/^Math\.min\(/);
    expect(conversation?.messages.at(-1)?.content).toBe(`#### ${smaller[0]?.answer}`);
  });

  it("word counting: unquoted lists with repeated words, counted right", () => {
    const plain = wordCountTasks({ seed: 1, count: 300, evalCount: 20 });
    const varied = wordCountTasks({ seed: 1, count: 300, evalCount: 20, paraphraseShare: 0.5 });
    expect(varied.eval).toEqual(plain.eval);
    const unquoted = varied.train.filter((t) => !t.prompt.includes('"'));
    expect(unquoted.length).toBeGreaterThan(50);
    const repeats = varied.train.filter(
      (t) => new Set(t.metadata?.words as string[]).size < Number(t.answer),
    );
    expect(repeats.length).toBeGreaterThan(20);
    const words = (t: { metadata?: Record<string, unknown> }) => (t.metadata?.words ?? []) as string[];
    for (const t of varied.train) expect(Number(t.answer)).toBe(words(t).length);
    for (const t of unquoted) expect(t.prompt).toContain(words(t).join(" "));
  });

  it("knowledge: more phrasings per training entity, the name kept exact for the search call", () => {
    const kb = generateKnowledgeBase({ seed: 4, count: 20 });
    const plain = knowledgeConversations(kb);
    const varied = knowledgeConversations(kb, { paraphrases: 3, seed: 4 });
    expect(varied.eval).toEqual(plain.eval);
    expect(varied.train.length).toBe(plain.train.length * 4);
    for (const c of varied.train) expect(c.messages[0]?.content).toContain(String(c.metadata?.entity));
    expect(new Set(varied.train.map((c) => c.messages[0]?.content)).size).toBe(varied.train.length);
  });

  it("knowledge: morePhrasings adds past-tense questions and leaves the other conversations as they were", () => {
    const kb = generateKnowledgeBase({ seed: 4, count: 20 });
    const varied = knowledgeConversations(kb, { paraphrases: 3, seed: 4 });
    const more = knowledgeConversations(kb, { paraphrases: 3, morePhrasings: 2, seed: 4 });
    expect(more.eval).toEqual(varied.eval);
    expect(more.train.length).toBe(varied.train.length + 2 * (varied.train.length / 4));
    const extra = more.train.filter(
      (c) => !varied.train.some((v) => v.messages[0]?.content === c.messages[0]?.content),
    );
    for (const c of varied.train) expect(more.train).toContainEqual(c);
    expect(extra).toHaveLength(more.train.length - varied.train.length);
    for (const c of extra) expect(c.messages[0]?.content).toContain(String(c.metadata?.entity));
    expect(extra.some((c) => /\bwho was\b/i.test(c.messages[0]?.content ?? ""))).toBe(true);
    // the answer follows the entity, not the phrasing
    const reply = (c: (typeof more.train)[number]) => c.messages.at(-1)?.content;
    for (const c of extra) {
      const twin = varied.train.find((v) => v.metadata?.entity === c.metadata?.entity);
      expect(reply(c)).toBe(twin && reply(twin));
    }
  });
});
