import { describe, expect, it } from "vitest";
import { markerReward } from "./extract-answer.js";
import { wordCountAnswer, wordCountConversations, wordCountTasks } from "./word-count.js";

const words = [
  "whale",
  "ship",
  "sea",
  "captain",
  "harpoon",
  "deck",
  "sail",
  "storm",
  "rope",
  "oar",
  "mast",
  "wave",
];

describe("word counting", () => {
  it("asks about quoted lists of distinct words whose length is the answer; held-out lists never train", () => {
    const { train, eval: held } = wordCountTasks({ seed: 3, count: 200, evalCount: 40, words });
    expect(train).toHaveLength(200);
    expect(held).toHaveLength(40);
    const trainLists = new Set(train.map((t) => (t.metadata!.words as string[]).join(" ")));
    for (const task of held) expect(trainLists.has((task.metadata!.words as string[]).join(" "))).toBe(false);
    const counts = new Set<number>();
    for (const task of [...train, ...held]) {
      const list = task.metadata?.words as string[];
      expect(new Set(list).size).toBe(list.length);
      expect(task.answer).toBe(String(list.length));
      expect(task.prompt).toContain(`"${list.join(" ")}"`);
      counts.add(list.length);
    }
    expect([...counts].sort((a, b) => a - b)).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    expect(wordCountTasks({ seed: 3, count: 200, evalCount: 40, words })).toEqual({ train, eval: held });
  });

  it("writes the numbered words before the answer (steps-first) or after it (answer-first)", () => {
    const task = { ...wordCountTasks({ seed: 1, count: 1, evalCount: 1, words }).train[0]! };
    task.metadata = { ...task.metadata, words: ["sea", "ship", "oar"] };
    task.answer = "3";
    expect(wordCountAnswer(task, "steps-first")).toBe("sea 1 ship 2 oar 3\n#### 3");
    expect(wordCountAnswer(task, "answer-first")).toBe("#### 3\nsea 1 ship 2 oar 3");
    for (const form of ["steps-first", "answer-first"] as const) {
      const [conversation] = wordCountConversations([task], form);
      expect(conversation?.source).toBe(`word-count-${form}`);
      expect(markerReward(conversation!.messages[1]!.content, task).reward).toBe(1);
    }
  });

  it("rejects a word list shorter than the longest list", () => {
    expect(() => wordCountTasks({ words: ["a", "b"], maxWords: 5 })).toThrow(
      /minWords=3, maxWords=5, words=2/,
    );
  });
});
