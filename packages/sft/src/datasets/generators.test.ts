import { Rng } from "@llm/core";
import { describe, expect, it } from "vitest";
import { arithmeticConversations, arithmeticSteps, arithmeticTasks } from "./arithmetic.js";
import { closePair, compareSteps, decimalCompareTasks } from "./decimal-compare.js";
import { extractAnswer, markerReward, taskReward } from "./extract-answer.js";
import {
  casualForm,
  GREETING_REPLIES,
  identityConversations,
  identityQuestionKey,
  identityTasks,
} from "./identity.js";
import { composeIdentityQuestion } from "./identity-phrases.js";
import { SHORT_IDENTITY_LINES, shortIdentityLine } from "./identity-short.js";
import {
  factDocuments,
  generateKnowledgeBase,
  knowledgeConversations,
  knowledgeTasks,
  NAME_SYLLABLES,
} from "./knowledge.js";
import { letterCountTasks, spellingTasks, spellWithCount } from "./letter-count.js";
import { mixConversations } from "./mixture.js";

describe("extractAnswer", () => {
  it("reads the first #### line", () => {
    expect(extractAnswer("20 + 40 = 60.\n#### 71")).toBe("71");
    expect(extractAnswer("#### 9.9\nbecause")).toBe("9.9");
    expect(extractAnswer("#### 1,234.")).toBe("1,234");
    expect(extractAnswer("#### 3<|assistant_end|>")).toBe("3");
    expect(extractAnswer("no marker")).toBeUndefined();
    expect(markerReward("#### 1,234", { id: "x", kind: "k", prompt: "", answer: "1234" }).reward).toBe(1);
    expect(markerReward("#### 9.90", { id: "x", kind: "k", prompt: "", answer: "9.9" }).reward).toBe(1);
    expect(markerReward("#### 8", { id: "x", kind: "k", prompt: "", answer: "9" }).reward).toBe(0);
  });
});

describe("arithmetic", () => {
  it("is deterministic by seed, with disjoint held-out problems", () => {
    const a = arithmeticTasks({ seed: 1, count: 300, evalCount: 50 });
    expect(arithmeticTasks({ seed: 1, count: 300, evalCount: 50 })).toEqual(a);
    expect(arithmeticTasks({ seed: 2, count: 300, evalCount: 50 })).not.toEqual(a);
    const key = (t: { metadata?: Record<string, unknown> }) =>
      `${t.metadata?.a}${t.metadata?.op}${t.metadata?.b}`;
    const trainKeys = new Set(a.train.map(key));
    expect(a.eval.some((t) => trainKeys.has(key(t)))).toBe(false);
    expect(a.train).toHaveLength(300);
  });

  it("writes correct steps and parseable answers in both forms", () => {
    expect(arithmeticSteps(23, 48, "+")).toBe("23 + 48: 20 + 40 = 60. 3 + 8 = 11. 60 + 11 = 71.");
    expect(arithmeticSteps(52, 38, "-")).toBe("52 - 38: 50 - 30 = 20. 2 - 8 = -6. 20 - 6 = 14.");
    expect(arithmeticSteps(23, 4, "*")).toBe("23 * 4: 20 * 4 = 80. 3 * 4 = 12. 80 + 12 = 92.");
    const { train } = arithmeticTasks({ seed: 3, count: 200, evalCount: 0 });
    for (const form of ["steps-first", "answer-first"] as const) {
      const conversations = arithmeticConversations(train, form);
      conversations.forEach((c, i) => {
        const text = c.messages[1]?.content ?? "";
        expect(taskReward(text, train[i] as never).reward).toBe(1);
        // Every step's equation is true.
        for (const [, x, op, y, z] of text.matchAll(/(-?\d+) ([-+*]) (\d+) = (-?\d+)/g)) {
          const value =
            op === "+" ? Number(x) + Number(y) : op === "-" ? Number(x) - Number(y) : Number(x) * Number(y);
          expect(value).toBe(Number(z));
        }
      });
      expect(conversations[0]?.messages[1]?.content.startsWith("####")).toBe(form === "answer-first");
    }
  });
});

describe("letter counting, spelling and decimal comparison", () => {
  it("count letters correctly, with held-out words", () => {
    const { train, eval: evalTasks } = letterCountTasks({ seed: 4, count: 200, evalCount: 40 });
    expect(letterCountTasks({ seed: 4, count: 200, evalCount: 40 }).train).toEqual(train);
    const trainWords = new Set(train.map((t) => t.metadata?.word));
    expect(evalTasks.some((t) => trainWords.has(t.metadata?.word))).toBe(false);
    for (const t of [...train, ...evalTasks]) {
      const { word, letter } = t.metadata as { word: string; letter: string };
      expect(Number(t.answer)).toBe([...word].filter((c) => c === letter).length);
    }
    // the default draw: most answers are 1; balanced training tasks ask for 0, 1 and 2+ alike
    const share = (tasks: typeof train, test: (n: number) => boolean) =>
      tasks.filter((t) => test(Number(t.answer))).length / tasks.length;
    expect(share(train, (n) => n === 1)).toBeGreaterThan(0.5);
    const balanced = letterCountTasks({ seed: 4, count: 600, evalCount: 40, balancedCounts: true });
    for (const t of balanced.train) {
      const { word, letter } = t.metadata as { word: string; letter: string };
      expect(Number(t.answer)).toBe([...word].filter((c) => c === letter).length);
    }
    expect(share(balanced.train, (n) => n === 0)).toBeCloseTo(1 / 3, 1);
    expect(share(balanced.train, (n) => n === 1)).toBeLessThan(0.45);
    expect(share(balanced.train, (n) => n >= 2)).toBeGreaterThan(0.2);
    expect(share(balanced.eval, (n) => n === 0)).toBeLessThan(0.3);
    expect(spellWithCount("strawberry", "r")).toBe("s-t-r(1)-a-w-b-e-r(2)-r(3)-y");
    expect(spellingTasks({ seed: 1, count: 5, evalCount: 1 }).train[0]?.answer).toMatch(/^[a-z](-[a-z])+$/);
  });

  it("compares decimals correctly, mostly on traps", () => {
    const { train, eval: evalTasks } = decimalCompareTasks({ seed: 6, count: 300, evalCount: 30 });
    const keys = new Set(train.map((t) => [t.metadata?.a, t.metadata?.b].sort().join("|")));
    expect(evalTasks.some((t) => keys.has([t.metadata?.a, t.metadata?.b].sort().join("|")))).toBe(false);
    let traps = 0;
    for (const t of train) {
      const { a, b } = t.metadata as { a: string; b: string };
      expect(Number(t.answer)).toBe(Math.max(Number(a), Number(b)));
      if (t.answer.length < (t.answer === a ? b : a).length) traps++;
    }
    expect(traps / train.length).toBeGreaterThan(0.4);
    expect(compareSteps("9.11", "9.9")).toBe("9.11 vs 9.90: 11 < 90.");
    expect(compareSteps("10.2", "9.85")).toBe("10.2 vs 9.85: 10 > 9.");
  });
});

describe("identity", () => {
  const config = { name: "Orbit", maker: "Team Kite", abilities: ["chat"], limits: ["see images"] };
  it("answers from config in English and Chinese, with held-out paraphrases", () => {
    const { train, eval: evalSet } = identityConversations(config, { seed: 1, count: 120 });
    expect(identityConversations(config, { seed: 1, count: 120 })).toEqual({ train, eval: evalSet });
    const trainPrompts = new Set(train.map((c) => c.messages[0]?.content));
    expect(evalSet.length).toBeGreaterThan(15);
    for (const c of evalSet) expect(trainPrompts.has(c.messages[0]?.content)).toBe(false);
    const answers = train.map((c) => c.messages[1]?.content ?? "");
    expect(answers).toContain(
      "I am Orbit, a small language model made by Team Kite. I can chat. I cannot see images.",
    );
    expect(answers.some((a) => a.startsWith("我是Orbit"))).toBe(true);
    const tasks = identityTasks(config, { seed: 1 });
    expect(tasks.eval.map((t) => t.prompt).sort()).toEqual(evalSet.map((c) => c.messages[0]?.content).sort());
    const who = tasks.eval.find((t) => t.metadata?.question === "who");
    expect(taskReward("I am Orbit.", who as never).reward).toBe(1);
  });

  it("holds out case and punctuation variants together and trains on casual forms", () => {
    const { train, eval: evalSet } = identityConversations(config, { seed: 3, count: 400 });
    const key = (c: (typeof train)[number]) => identityQuestionKey(c.messages[0]?.content ?? "");
    expect(identityQuestionKey("  Who are you?")).toBe("who are you");
    expect(identityQuestionKey("who are you")).toBe("who are you");
    const evalKeys = new Set(evalSet.map(key));
    for (const c of train) expect(evalKeys.has(key(c))).toBe(false);
    // "Who are you?" and "who are you" are one question: both in eval or both in train.
    const whoPrompts = [...train, ...evalSet]
      .map((c) => c.messages[0]?.content)
      .filter((p) => p === "Who are you?" || p === "who are you");
    expect(new Set(whoPrompts).size).toBe(2);
    const casual = train.filter((c) => {
      const prompt = c.messages[0]?.content ?? "";
      return /^[a-z]/.test(prompt) || !/[?.!？。！]$/.test(prompt);
    });
    // The source lists have one casual English prompt ("who are you") and one Chinese one.
    expect(casual.length / train.length).toBeGreaterThan(0.15);
    const plain = identityConversations(config, { seed: 3, count: 400, casualShare: 0 }).train;
    expect(plain.filter((c) => /^[a-z]/.test(c.messages[0]?.content ?? "")).length).toBeLessThan(
      casual.length / 2,
    );
    // The rewrite keeps the answer of the question it came from.
    expect(plain.map((c) => c.messages[1]?.content)).toEqual(train.map((c) => c.messages[1]?.content));
    expect(() => identityConversations(config, { casualShare: 1.5 })).toThrow(/casualShare/);
    expect(casualForm("Who made you?", new Rng(1))).toMatch(/^(who made you\?|Who made you|who made you)$/);
  });
});

describe("knowledge and refusal", () => {
  it("splits entities four ways, writes documents only for known ones", () => {
    const kb = generateKnowledgeBase({ seed: 2, count: 100 });
    expect(generateKnowledgeBase({ seed: 2, count: 100 })).toEqual(kb);
    const splits: Record<string, number> = {};
    for (const e of kb.entities) splits[e.split] = (splits[e.split] ?? 0) + 1;
    expect(splits).toEqual({ "known-train": 40, "known-eval": 10, "unknown-train": 40, "unknown-eval": 10 });
    const docs = factDocuments(kb, { copies: 2 });
    expect(docs).toHaveLength(100);
    const documented = new Set(docs.map((d) => d.metadata.entity));
    for (const e of kb.entities) expect(documented.has(e.name)).toBe(e.split.startsWith("known"));
    const { train, eval: evalSet } = knowledgeConversations(kb);
    expect(train).toHaveLength(80);
    expect(evalSet).toHaveLength(20);
    const refusals = train.filter((c) => c.source === "refusal");
    expect(refusals).toHaveLength(40);
    expect(refusals[0]?.messages[1]?.content).toMatch(/^I don't know anything about /);
    const tasks = knowledgeTasks(kb);
    expect(tasks.eval.filter((t) => t.answer === "I don't know")).toHaveLength(10);
    // Known answers are in the documents the base model reads.
    for (const t of tasks.eval.filter((t) => t.metadata?.known)) {
      expect(docs.some((d) => d.metadata.entity === t.metadata?.entity && d.text.includes(t.answer))).toBe(
        true,
      );
    }
  });

  it("never names an unknown entity in the pretraining documents", () => {
    const kb = generateKnowledgeBase({ seed: 5, count: 300 });
    const unknown = kb.entities.filter((e) => e.split.startsWith("unknown")).map((e) => e.name);
    const known = kb.entities.filter((e) => e.split.startsWith("known"));
    // people live in towns, so a known person's home is where an unknown town could leak
    expect(known.some((e) => e.kind === "person")).toBe(true);
    const words = new Set(factDocuments(kb, { copies: 3 }).flatMap((d) => d.text.match(/\p{L}+/gu) ?? []));
    for (const name of unknown) expect(words.has(name), name).toBe(false);
    // nor as the start of a longer name ("Solmi" inside "Solmize")
    const names = [...kb.entities.map((e) => e.name), ...kb.entities.flatMap((e) => e.facts.country ?? [])];
    for (const name of unknown) {
      expect(
        names.filter((other) => other.startsWith(name)),
        name,
      ).toEqual([name]);
      expect(
        names.filter((other) => name.startsWith(other)),
        name,
      ).toEqual([name]);
    }
  });
});

describe("knowledge base with paired unknowns", () => {
  const kb = generateKnowledgeBase({ seed: 3, count: 120, pairedUnknowns: true });
  const known = kb.entities.filter((e) => e.split.startsWith("known"));
  const unknown = kb.entities.filter((e) => e.split.startsWith("unknown"));
  const start = (name: string) => NAME_SYLLABLES.find((s) => name.toLowerCase().startsWith(s));

  it("gives every known entity an unknown twin of its kind, first syllable and split", () => {
    expect(generateKnowledgeBase({ seed: 3, count: 120, pairedUnknowns: true })).toEqual(kb);
    expect(known).toHaveLength(60);
    expect(unknown).toHaveLength(60);
    for (const split of ["train", "eval"]) {
      for (const kind of ["person", "town", "river"]) {
        const k = known.filter((e) => e.split === `known-${split}` && e.kind === kind);
        const u = unknown.filter((e) => e.split === `unknown-${split}` && e.kind === kind);
        expect(u.length, `${split} ${kind}`).toBe(k.length);
        // the first syllables of either class are the same multiset
        expect(u.map((e) => start(e.name)).sort(), `${split} ${kind}`).toEqual(
          k.map((e) => start(e.name)).sort(),
        );
      }
    }
    expect(known.filter((e) => e.split === "known-eval")).toHaveLength(12);
  });

  it("keeps twins out of the documents and apart from every other name", () => {
    const words = new Set(factDocuments(kb, { copies: 3 }).flatMap((d) => d.text.match(/\p{L}+/gu) ?? []));
    const names = [...kb.entities.map((e) => e.name), ...kb.entities.flatMap((e) => e.facts.country ?? [])];
    for (const { name } of unknown) {
      expect(words.has(name), name).toBe(false);
      expect(names.filter((other) => other.startsWith(name) || name.startsWith(other))).toEqual([name]);
    }
    // known people live in known towns, as without pairing
    const knownTowns = new Set(known.filter((e) => e.kind === "town").map((e) => e.name));
    for (const e of known.filter((e) => e.kind === "person"))
      expect(knownTowns.has(e.facts.home ?? "")).toBe(true);
  });

  it("is off by default", () => {
    expect(generateKnowledgeBase({ seed: 3, count: 120, pairedUnknowns: false })).toEqual(
      generateKnowledgeBase({ seed: 3, count: 120 }),
    );
  });
});

describe("mixConversations", () => {
  const make = (name: string, n: number) =>
    Array.from({ length: n }, (_, i) => ({
      messages: [{ role: "user" as const, content: `${name}${i}` }],
      source: name,
    }));
  it("applies epochs, keeps validation out of training, and is seeded", () => {
    const sources = [
      { name: "a", conversations: make("a", 100), epochs: 2 },
      { name: "b", conversations: make("b", 40), epochs: 0.5 },
    ];
    const mix = mixConversations(sources, { seed: 3, valFraction: 0.1 });
    expect(mix.counts).toEqual({ a: 180, b: 18 });
    expect(mix.val).toHaveLength(14);
    const valTexts = new Set(mix.val.map((c) => c.messages[0]?.content));
    expect(mix.train.some((c) => valTexts.has(c.messages[0]?.content))).toBe(false);
    expect(mixConversations(sources, { seed: 3, valFraction: 0.1 })).toEqual(mix);
    expect(mixConversations(sources, { seed: 4, valFraction: 0.1 }).train).not.toEqual(mix.train);
  });
  it("shares a requested size by weight", () => {
    const mix = mixConversations(
      [
        { name: "a", conversations: make("a", 10), weight: 3 },
        { name: "b", conversations: make("b", 10), weight: 1 },
      ],
      { size: 40, valFraction: 0 },
    );
    expect(mix.counts).toEqual({ a: 30, b: 10 });
  });
});

describe("standardMixture", () => {
  it("combines every family with eval tasks that never appear in training", async () => {
    const { standardMixture } = await import("./standard-mixture.js");
    const mix = standardMixture({
      seed: 1,
      arithmetic: { count: 100, evalCount: 10 },
      epochs: { arithmetic: 2 },
    });
    expect(Object.keys(mix.counts).sort()).toEqual([
      "arithmetic",
      "decimal-compare",
      "identity",
      "knowledge",
      "letter-count",
    ]);
    expect(mix.counts.arithmetic).toBe(2 * Math.round(100 * 0.95));
    const trainPrompts = new Set(mix.train.map((c) => c.messages[0]?.content));
    for (const family of ["arithmetic", "identity"] as const) {
      for (const task of mix.evalTasks[family])
        expect(trainPrompts.has(task.prompt), task.prompt).toBe(false);
    }
    expect(standardMixture({ seed: 1, arithmetic: { count: 100, evalCount: 10 } }).knowledgeBase).toEqual(
      mix.knowledgeBase,
    );
  });
});

describe("identity questions after a greeting", () => {
  it("opens a share of training questions with a greeting, still answered with the identity, never a held-out question", () => {
    const plain = identityConversations({ name: "Nano" }, { seed: 3, count: 400 });
    const greeted = identityConversations({ name: "Nano" }, { seed: 3, count: 400, greetingShare: 0.5 });
    expect(greeted.eval).toEqual(plain.eval);
    const held = new Set(plain.eval.map((c) => identityQuestionKey(c.messages[0]?.content ?? "")));
    let opened = 0;
    greeted.train.forEach((c, i) => {
      const prompt = c.messages[0]?.content ?? "";
      expect(held.has(identityQuestionKey(prompt))).toBe(false);
      // the same answer as without the greeting
      expect(c.messages[1]?.content).toBe(plain.train[i]?.messages[1]?.content);
      if (
        /^(Hi!|Hey,|Hello there\.|Good morning!|Hiya,|Hey there!|Good evening\.|Hello again!|你好！|嗨，|早上好！|您好，)/.test(
          prompt,
        )
      )
        opened++;
    });
    expect(opened).toBeGreaterThan(150);
    expect(opened).toBeLessThan(250);
  });
});

describe("identity questions composed from parts", () => {
  it("rewrites a share of training questions in many forms, same kind and answer, never a held-out question", () => {
    const plain = identityConversations({ name: "Nano" }, { seed: 3, count: 600 });
    const composed = identityConversations({ name: "Nano" }, { seed: 3, count: 600, composedShare: 0.5 });
    expect(composed.eval).toEqual(plain.eval);
    const held = new Set(plain.eval.map((c) => identityQuestionKey(c.messages[0]?.content ?? "")));
    const listed = new Set(
      plain.train.map((c) => identityQuestionKey(c.messages[0]?.content ?? "")).concat([...held]),
    );
    let rewritten = 0;
    composed.train.forEach((c, i) => {
      const prompt = c.messages[0]?.content ?? "";
      expect(held.has(identityQuestionKey(prompt))).toBe(false);
      // the answer of the paraphrase drawn: the kind and language are kept
      expect(c.messages[1]?.content).toBe(plain.train[i]?.messages[1]?.content);
      if (!listed.has(identityQuestionKey(prompt))) rewritten++;
      // never a how-are-you
      expect(prompt.toLowerCase()).not.toMatch(/how are you|how's it going/);
    });
    expect(rewritten).toBeGreaterThan(200);
    expect(rewritten).toBeLessThan(400);
    // hundreds of distinct forms
    expect(new Set(composed.train.map((c) => c.messages[0]?.content)).size).toBeGreaterThan(300);
    expect(() => identityConversations({}, { composedShare: -0.1 })).toThrow(/composedShare/);
  });

  it("always opens with a lead-in and keeps Chinese questions in Chinese", () => {
    const rng = new Rng("compose-test");
    for (let i = 0; i < 200; i++) {
      const zh = composeIdentityQuestion("who", "zh", rng);
      expect(zh).toMatch(/\p{Script=Han}/u);
      const en = composeIdentityQuestion("name", "en", rng);
      expect(en).not.toMatch(/\p{Script=Han}/u);
      // a lead-in: the question never starts with its core wording
      expect(identityQuestionKey(en)).not.toMatch(
        /^(what s your name|what is your name|do you have a name)$/,
      );
    }
  });
});

describe("yes/no identity questions", () => {
  it("replaces a share of training questions with 'are you X?' answered with the own identity, never another name", () => {
    const plain = identityConversations({ name: "Nano" }, { seed: 3, count: 600 });
    const asked = identityConversations({ name: "Nano" }, { seed: 3, count: 600, yesNoShare: 0.2 });
    expect(asked.eval).toEqual(plain.eval);
    const held = new Set(plain.eval.map((c) => identityQuestionKey(c.messages[0]?.content ?? "")));
    const yesNo = asked.train.filter((c) => c.metadata?.question === "yes-no");
    expect(yesNo.length).toBeGreaterThan(80);
    expect(yesNo.length).toBeLessThan(160);
    for (const c of yesNo) {
      const [user, reply] = c.messages;
      expect(held.has(identityQuestionKey(user?.content ?? ""))).toBe(false);
      // names the assistant, never the assistant or maker the question named
      expect(reply?.content).toMatch(/Nano/);
      expect(reply?.content).not.toMatch(/ChatGPT|Siri|Alexa|Claude|Gemini|OpenAI|Google|Meta|Apple/);
      if (/\p{Script=Han}/u.test(user?.content ?? "")) expect(reply?.content).toMatch(/^(是的|不是)/u);
      else expect(reply?.content).toMatch(/^(Yes|No)\b/);
      // always a lead-in: never a bare "are you ...?"
      expect(identityQuestionKey(user?.content ?? "")).not.toMatch(/^(are you|is this|你是)/);
    }
    expect(yesNo.some((c) => /chatgpt|siri|alexa/i.test(c.messages[0]?.content ?? ""))).toBe(true);
    expect(yesNo.some((c) => c.messages[1]?.content.startsWith("Yes, I am Nano"))).toBe(true);
    // the other conversations are the plain ones
    asked.train.forEach((c, i) => {
      if (c.metadata?.question !== "yes-no") expect(c).toEqual(plain.train[i]);
    });
    expect(() => identityConversations({}, { yesNoShare: 1.5 })).toThrow(/yesNoShare/);
  });
});

describe("short identity lines", () => {
  it("asks a share of training questions as a short line of the same kind, answered with that kind's identity", () => {
    const plain = identityConversations({ name: "Nano" }, { seed: 4, count: 600 });
    const short = identityConversations({ name: "Nano" }, { seed: 4, count: 600, shortShare: 0.2 });
    expect(short.eval).toEqual(plain.eval);
    const held = new Set(plain.eval.map((c) => identityQuestionKey(c.messages[0]?.content ?? "")));
    const lines = new Set(
      Object.values(SHORT_IDENTITY_LINES).flatMap((byLang) =>
        [...byLang.en, ...byLang.zh].map(identityQuestionKey),
      ),
    );
    let asked = 0;
    short.train.forEach((c, i) => {
      const before = plain.train[i] as (typeof plain.train)[number];
      // the same question kind and language, so the same answer
      expect(c.messages[1]?.content).toBe(before.messages[1]?.content);
      expect(c.metadata).toEqual(before.metadata);
      const key = identityQuestionKey(c.messages[0]?.content ?? "");
      expect(held.has(key)).toBe(false);
      if (lines.has(key)) asked++;
      else expect(c.messages[0]?.content).toBe(before.messages[0]?.content);
    });
    expect(asked).toBeGreaterThan(80);
    expect(asked).toBeLessThan(170);
    expect(() => identityConversations({}, { shortShare: -0.1 })).toThrow(/shortShare/);
    const rng = new Rng("short-identity");
    for (let i = 0; i < 100; i++) {
      const en = shortIdentityLine("name", "en", rng);
      expect(en.split(" ").length).toBeLessThanOrEqual(4);
      expect(shortIdentityLine("maker", "zh", rng)).toMatch(/\p{Script=Han}/u);
    }
  });
});

describe("identity answers that greet back", () => {
  it("opens the answer with a greeting when the question opens with one, and changes nothing else", () => {
    const plain = identityConversations({ name: "Nano" }, { seed: 3, count: 600, greetingShare: 0.3 });
    const back = identityConversations(
      { name: "Nano" },
      { seed: 3, count: 600, greetingShare: 0.3, greetBack: true },
    );
    expect(back.eval).toEqual(plain.eval);
    let greeted = 0;
    back.train.forEach((c, i) => {
      const before = plain.train[i] as (typeof plain.train)[number];
      const question = c.messages[0]?.content ?? "";
      expect(question).toBe(before.messages[0]?.content);
      const answer = c.messages[1]?.content ?? "";
      const lead = Object.keys(GREETING_REPLIES).find((l) => question.startsWith(l));
      if (lead === undefined) expect(answer).toBe(before.messages[1]?.content);
      else {
        expect(answer).toBe(`${GREETING_REPLIES[lead]}${before.messages[1]?.content}`);
        greeted++;
      }
    });
    expect(greeted).toBeGreaterThan(100);
    expect(back.train.some((c) => c.messages[1]?.content.startsWith("你好！我是"))).toBe(true);
    expect(back.train.some((c) => c.messages[1]?.content.startsWith("Hi! I am Nano"))).toBe(true);
  });
});

describe("decimal comparison: close pairs and more phrasings", () => {
  it("draws close pairs and unit phrasings for training only, with the right function and answer", () => {
    const plain = decimalCompareTasks({ seed: 6, count: 400, evalCount: 30, paraphraseShare: 0.5 });
    const more = decimalCompareTasks({
      seed: 6,
      count: 400,
      evalCount: 30,
      paraphraseShare: 0.5,
      closePairShare: 0.5,
      morePhrasingShare: 0.5,
    });
    expect(more.eval).toEqual(plain.eval);
    const evalKeys = new Set(more.eval.map((t) => [t.metadata?.a, t.metadata?.b].sort().join("|")));
    let close = 0;
    for (const t of more.train) {
      const { a, b, want } = t.metadata as { a: string; b: string; want?: string };
      expect(evalKeys.has([a, b].sort().join("|"))).toBe(false);
      expect(Number(a)).not.toBe(Number(b));
      const pick = want === "min" ? Math.min : Math.max;
      expect(Number(t.answer)).toBe(pick(Number(a), Number(b)));
      if (/cheaper|costs less|lower price/i.test(t.prompt)) expect(want).toBe("min");
      if (a.slice(0, 3) === b.slice(0, 3) || a.endsWith(b) || b.endsWith(a)) close++;
    }
    expect(close / more.train.length).toBeGreaterThan(0.45);
    expect(more.train.some((t) => /kg|euros|dollars|price/.test(t.prompt))).toBe(true);
    expect(closePair(new Rng("x"), 20)).toHaveLength(2);
  });
});
