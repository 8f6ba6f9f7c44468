import { naturalKnowledgeTasks, naturalLetterTasks } from "@llm/probes";
import { entitySearchCode, generateKnowledgeBase, knowledgeTasks, letterTaskMessages } from "@llm/sft";
import { SPLIT_DIGITS_PATTERN, toJsRegExp } from "@llm/tokenizer";
import { describe, expect, it } from "vitest";
import { small } from "../presets/small.js";

// The design the tool calls rely on: the word to count, or the name to look up, is the same
// pre-split chunk in the tool call as in the question (" strawberry" in both), so its BPE tokens
// are the same whatever the vocabulary, and the model copies tokens instead of mapping " st" onto
// "st". Checked on the natural-phrasing eval sets' own questions, with the small preset's pattern.
const split = toJsRegExp(SPLIT_DIGITS_PATTERN);
const chunksOf = (text: string): string[] => text.match(split) ?? [];

describe("tool calls copy the question's chunks", () => {
  it("uses the small preset's pattern", () => {
    expect(small.tokenizer.splitDigits).toBe(true);
  });

  it("letter calls on the natural letter questions: the word's and the letter's chunks of the question are chunks of the call", () => {
    let spaced = 0;
    let letters = 0;
    const tasks = naturalLetterTasks();
    for (const task of tasks) {
      const { word, letter } = task.metadata as { word: string; letter: string };
      const codes = (["split", "count"] as const).map(
        (form) => letterTaskMessages(task, "tool", form)[0]?.toolCalls?.[0]?.code ?? "",
      );
      const question = chunksOf(task.prompt);
      // the letter of "how many r's" is the chunk " r", in the call too (`" r".trim()`, `count(.., " r")`)
      if (question.includes(` ${letter}`)) {
        letters++;
        for (const code of codes) expect(chunksOf(code)).toContain(` ${letter}`);
      }
      // the chunk the word has in the question (" strawberry"), when the question writes it in lower case
      const chunk = question.find((c) => c.trim() === word || c.slice(1) === word);
      if (chunk === undefined) continue;
      if (chunk === ` ${word}`) {
        spaced++;
        for (const code of codes) expect(chunksOf(code)).toContain(chunk);
      }
    }
    // most natural questions write the word after a space, and the letter in most
    expect(spaced).toBeGreaterThan(tasks.length * 0.8);
    expect(letters).toBeGreaterThan(tasks.length * 0.6);
  });

  it("search calls on the natural entity questions: the name's chunks of the question are chunks of the call", () => {
    const kb = generateKnowledgeBase({ seed: small.seed, count: 40 });
    const held = knowledgeTasks(kb).eval;
    const natural = naturalKnowledgeTasks({
      known: held.filter((t) => t.metadata?.known),
      unknown: held.filter((t) => !t.metadata?.known),
    });
    let spaced = 0;
    const all = [...natural.known, ...natural.unknown];
    for (const task of all) {
      const name = String(task.metadata?.entity);
      const entity = kb.entities.find((e) => e.name === name);
      expect(entity).toBeDefined();
      const code = entitySearchCode(entity!, task.prompt);
      const nameChunks = chunksOf(` ${name}`);
      const question = chunksOf(task.prompt).join("\u0000");
      if (!question.includes(nameChunks.join("\u0000"))) continue;
      spaced++;
      expect(chunksOf(code).join("\u0000")).toContain(nameChunks.join("\u0000"));
    }
    expect(spaced).toBeGreaterThan(all.length * 0.8);
  });
});
