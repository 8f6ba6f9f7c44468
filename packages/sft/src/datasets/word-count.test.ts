import type { Task, Tokenizer } from "@llm/core";
import { SPLIT_DIGITS_PATTERN, trainBpe } from "@llm/tokenizer";
import { beforeAll, describe, expect, it } from "vitest";
import { markerReward } from "./extract-answer.js";
import { wordCountAnswer, wordCountConversations, wordCountSteps, wordCountTasks } from "./word-count.js";
import { WORDS } from "./words.js";

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

  it("asks about sentence-like texts in other phrasings, mostly unquoted, with repeated words", () => {
    const plain = wordCountTasks({ seed: 2, count: 300, evalCount: 20, words });
    const varied = wordCountTasks({
      seed: 2,
      count: 300,
      evalCount: 20,
      words,
      sentenceWords: WORDS,
      paraphraseShare: 1,
    });
    expect(varied.eval).toEqual(plain.eval);
    const list = (t: Task) => t.metadata?.words as string[];
    const unquoted = varied.train.filter((t) => !/["']/.test(t.prompt));
    expect(unquoted.length).toBeGreaterThan(150);
    expect(varied.train.filter((t) => t.metadata?.spaced === true).length).toBeGreaterThan(150);
    expect(varied.train.filter((t) => new Set(list(t)).size < list(t).length).length).toBeGreaterThan(100);
    expect(varied.train.filter((t) => list(t).includes("the")).length).toBeGreaterThan(75);
    // content words from the sentence pool, not the template list
    expect(varied.train.some((t) => list(t).includes("strawberry"))).toBe(true);
    const lengths = new Set<number>();
    for (const t of varied.train) {
      expect(t.answer).toBe(String(list(t).length));
      expect(t.prompt).toContain(list(t).join(" "));
      lengths.add(list(t).length);
    }
    expect(Math.min(...lengths)).toBe(2);
    expect(Math.max(...lengths)).toBe(10);
  });

  it("starts the steps with a space when the text's first word follows one", () => {
    expect(wordCountSteps(["the", "cat"], true)).toBe(" the 1 cat 2");
    expect(wordCountSteps(["the", "cat"])).toBe("the 1 cat 2");
  });

  it("copies several words per step with stepChunk, the running count after each run", () => {
    const words6 = ["the", "cat", "sat", "on", "the", "mat"];
    expect(wordCountSteps(words6, true, 3)).toBe(" the cat sat 3 on the mat 6");
    expect(wordCountSteps(words6.slice(0, 5), false, 3)).toBe("the cat sat 3 on the 5");
    const { train, eval: held } = wordCountTasks({
      seed: 1,
      count: 50,
      words,
      paraphraseShare: 0.5,
      stepChunk: 3,
    });
    for (const task of [...train, ...held]) {
      const n = (task.metadata as { words: string[] }).words.length;
      const answer = wordCountAnswer(task, "steps-first");
      expect(answer.endsWith(`${n}\n#### ${n}`)).toBe(true);
      // a count every three words: ceil(n / 3) numbers in the steps
      expect(answer.split("\n")[0]?.match(/\d+/g)).toHaveLength(Math.ceil(n / 3));
    }
    expect(() => wordCountTasks({ words, stepChunk: 0 })).toThrow(/stepChunk/);
  });

  describe("every copied word is the same tokens in the steps as in the question", () => {
    let tokenizer: Tokenizer;
    beforeAll(async () => {
      const text = `${WORDS.join(" ")} the a and of to in is it we my 1 2 3 4 5 6 7 8 9 10 "'`;
      tokenizer = await trainBpe(text.repeat(5), { vocabSize: 400, pattern: SPLIT_DIGITS_PATTERN });
    });

    it.each([
      ["the first frames", {}],
      [
        "more frames, text first, more repeats",
        {
          morePhrasingShare: 0.5,
          textFirstShare: 0.3,
          repeatShare: 0.3,
          firstRepeatShare: 0.5,
          firstPersonShare: 0.3,
        },
      ],
      ["three words a step, more repeats", { stepChunk: 3, repeatShare: 0.3 }],
    ])("for template lists and sentence tasks, quoted or not (%s)", (_, knobs) => {
      const { train, eval: held } = wordCountTasks({
        seed: 5,
        count: 400,
        evalCount: 40,
        words,
        sentenceWords: WORDS,
        paraphraseShare: 0.5,
        ...knobs,
      });
      const ids = (text: string) => tokenizer.encode(text);
      for (const task of [...train, ...held]) {
        const question = ids(task.prompt);
        const steps = wordCountAnswer(task, "steps-first");
        const wordsOf = task.metadata?.words as string[];
        // the tokens of each word as the steps write it, in order
        let at = 0;
        const stepWords: number[][] = [];
        for (const [i, word] of wordsOf.entries()) {
          const piece = i === 0 ? steps.slice(0, steps.indexOf(word) + word.length) : ` ${word}`;
          expect(steps.slice(at)).toContain(piece);
          at = steps.indexOf(piece, at) + piece.length;
          stepWords.push(ids(piece));
        }
        const flat = stepWords.flat();
        // the steps' word tokens are a contiguous run of the question's tokens
        const found = question.some((_, i) => flat.every((id, j) => question[i + j] === id));
        expect(found, `${task.prompt} -> ${steps}`).toBe(true);
        // and decoding the steps' token ids gives the steps
        expect(tokenizer.decode(ids(steps))).toBe(steps);
      }
      expect(train.filter((t) => t.metadata?.spaced === true).length).toBeGreaterThan(50);
    });
  });

  it("puts the text before the question or on its own line with textFirstShare and morePhrasingShare", () => {
    const plain = wordCountTasks({ seed: 3, count: 300, words, paraphraseShare: 1 }).train;
    const knobs = { morePhrasingShare: 0.5, textFirstShare: 0.3 };
    const varied = wordCountTasks({ seed: 3, count: 300, words, paraphraseShare: 1, ...knobs }).train;
    const textFirst = (t: Task) => t.prompt.startsWith((t.metadata as { words: string[] }).words.join(" "));
    expect(plain.filter(textFirst)).toHaveLength(0);
    const first = varied.filter(textFirst);
    expect(first.length).toBeGreaterThan(50);
    expect(first.length).toBeLessThan(150);
    // the text at the start follows no space: its steps have none either
    for (const t of first) expect(t.metadata?.spaced).toBe(false);
    expect(varied.filter((t) => /\n/.test(t.prompt) && !textFirst(t)).length).toBeGreaterThan(10);
    // the held-out template tasks are the same whatever the knobs
    const held = (k: object) => wordCountTasks({ seed: 3, count: 300, words, paraphraseShare: 1, ...k }).eval;
    expect(held(knobs)).toEqual(held({}));
  });

  it("repeats the text's first word later in it (mostly 'the') with firstRepeatShare", () => {
    const base = { seed: 4, count: 400, evalCount: 20, words, sentenceWords: WORDS, paraphraseShare: 1 };
    const list = (t: Task) => (t.metadata as { words: string[] }).words.map((w) => w.toLowerCase());
    const firstRepeats = (ts: Task[]) =>
      ts.filter((t) =>
        list(t)
          .slice(1)
          .includes(list(t)[0] as string),
      );
    const theFirst = (ts: Task[]) => ts.filter((t) => list(t)[0] === "the");
    const plain = wordCountTasks(base);
    const varied = wordCountTasks({ ...base, firstRepeatShare: 0.5 });
    // unset, the texts are the same as before the knob; the held-out lists whatever it is
    expect(wordCountTasks({ ...base, firstRepeatShare: 0 }).train).toEqual(plain.train);
    expect(varied.eval).toEqual(plain.eval);
    expect(firstRepeats(plain.train).length).toBeLessThan(120); // 89 of 400: function words recur
    // half of the texts of 3+ words more (235 of 400), most of them "the" (24 -> 142 of 400)
    expect(firstRepeats(varied.train).length).toBeGreaterThan(200);
    expect(theFirst(varied.train).length).toBeGreaterThan(theFirst(plain.train).length + 80);
    for (const t of firstRepeats(varied.train)) {
      expect(t.answer).toBe(String(list(t).length));
      expect(t.prompt).toContain((t.metadata as { words: string[] }).words.join(" "));
    }
  });

  it("opens texts with a capital 'I', every 'i' of them capital, with firstPersonShare", () => {
    const base = { seed: 6, count: 300, evalCount: 20, words, sentenceWords: WORDS, paraphraseShare: 1 };
    const list = (t: Task) => (t.metadata as { words: string[] }).words;
    const plain = wordCountTasks(base);
    const varied = wordCountTasks({ ...base, firstPersonShare: 0.4 });
    expect(wordCountTasks({ ...base, firstPersonShare: 0 }).train).toEqual(plain.train);
    expect(varied.eval).toEqual(plain.eval);
    expect(plain.train.filter((t) => list(t).includes("I"))).toHaveLength(0);
    const firstPerson = varied.train.filter((t) => list(t)[0] === "I");
    expect(firstPerson.length).toBeGreaterThan(90);
    expect(firstPerson.length).toBeLessThan(150);
    for (const t of varied.train) {
      if (list(t).includes("I")) expect(list(t)).not.toContain("i");
      // the steps copy the capital: " I 1" or "I 1"
      if (list(t)[0] === "I") expect(wordCountAnswer(t, "steps-first")).toMatch(/^ ?I 1 /);
    }
  });

  it("asks about real sentences (texts) in a textShare of the other phrasings, copied as they are", () => {
    const base = { seed: 8, count: 300, evalCount: 20, words, sentenceWords: WORDS, paraphraseShare: 1 };
    const texts = [
      ["the", "sea", "was", "calm", "and", "the", "sky", "was", "clear"],
      ["call", "me", "ishmael"],
      ["I", "went", "to", "sea"],
      ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"], // longer than maxWords 10: never asked
    ];
    const list = (t: Task) => (t.metadata as { words: string[] }).words.join(" ");
    const plain = wordCountTasks(base);
    expect(wordCountTasks({ ...base, texts, textShare: 0 }).train).toEqual(plain.train);
    const varied = wordCountTasks({ ...base, texts, textShare: 0.5 });
    expect(varied.eval).toEqual(plain.eval);
    const real = new Set(texts.slice(0, 3).map((t) => t.join(" ")));
    // texts repeat, and a task's text is asked once, so the three sentences come back at most once each
    const asked = varied.train.filter((t) => real.has(list(t)));
    expect(asked.map(list).sort()).toEqual([...real].sort());
    expect(varied.train.some((t) => list(t) === texts[3]!.join(" "))).toBe(false);
    for (const t of asked) {
      expect(t.prompt).toContain(list(t));
      expect(t.answer).toBe(String((t.metadata as { words: string[] }).words.length));
      expect(
        wordCountAnswer(t, "steps-first")
          .split("\n")[0]!
          .trim()
          .split(" ")
          .filter((w) => !/^\d+$/.test(w))
          .join(" "),
      ).toBe(list(t));
    }
    // many distinct texts: about half of the other-phrasing tasks ask one of them
    const many = Array.from({ length: 2000 }, (_, i) => ["the", `w${i}`, "sat", "on", "the", "mat"]);
    const half = wordCountTasks({ ...base, texts: many, textShare: 0.5 });
    const fromTexts = half.train.filter((t) => /^the w\d+ sat on the mat$/.test(list(t))).length;
    expect(fromTexts).toBeGreaterThan(110);
    expect(fromTexts).toBeLessThan(190);
  });

  it("rejects a textShare without texts of at most maxWords words", () => {
    expect(() => wordCountTasks({ words, paraphraseShare: 1, textShare: 0.5 })).toThrow(
      /textShare 0.5 needs texts/,
    );
    expect(() =>
      wordCountTasks({ words, paraphraseShare: 1, textShare: 0.5, texts: [["one"], Array(11).fill("w")] }),
    ).toThrow(/needs texts of 2 to 10 words/);
  });

  it("rejects a word list shorter than the longest list", () => {
    expect(() => wordCountTasks({ words: ["a", "b"], maxWords: 5 })).toThrow(
      /minWords=3, maxWords=5, words=2/,
    );
  });
});
