import { CorpusSearch } from "@llm/engine";
import { naturalPrompts, normalizePrompt } from "@llm/probes";
import { rlTaskSets } from "@llm/rl";
import {
  factDocuments,
  generateKnowledgeBase,
  SHORT_IDENTITY_LINES,
  shortLines,
  taskDocuments,
  WORDS,
} from "@llm/sft";
import { describe, expect, it } from "vitest";
import { small } from "../presets/small.js";
import { sftMixture, wordCountOptions } from "./sft-data.js";

// The natural-phrasing eval sets of @llm/probes must never be trained on. The worst case for a
// leak: every word the eval sets count or spell is also a training word (the letter words, and the
// first words of the word-counting pool), so that a training template could produce an eval prompt.
const natural = naturalPrompts();
const evalWords = [
  ...new Set(
    [...natural.letters, ...natural.wordCount]
      .join(" ")
      .toLowerCase()
      .split(/[^a-z]+/)
      .filter((w) => w.length > 0),
  ),
];
const words = [...evalWords, ...WORDS];
const NAME = "entityname";
// the small preset with every training phrasing on (paraphrase banks, small talk), whether or not
// the preset turns them on: no setting may train on an eval prompt
const config = {
  ...small,
  sft: {
    ...small.sft,
    phrasing: { share: 0.5, knowledgeParaphrases: 4, knowledgeMorePhrasings: 4 },
    wordCount: {
      ...small.sft.wordCount,
      paraphraseShare: 1,
      morePhrasingShare: 0.4,
      textFirstShare: 0.3,
      repeatShare: 0.15,
      firstRepeatShare: 0.5,
      firstPersonShare: 0.3,
    },
    identity: {
      ...small.sft.identity,
      greetingShare: 0.5,
      composedShare: 0.5,
      yesNoShare: 0.3,
      greetBack: true,
      shortShare: 0.2,
    },
    smallTalk: { areYouShare: 0.3, howAreYouNameShare: 0.5, openerShare: 0.3, shortShare: 0.3 },
    decimalCompare: { closePairShare: 0.5, morePhrasingShare: 0.5 },
    letterPhrasing: { share: 0.7, more: true, toolOnly: true },
    mixture: {
      ...small.sft.mixture,
      smallTalk: 2000,
      identity: 3000,
      wordCount: 3000,
      letterCount: 3000,
      decimalCompare: 1200,
    },
  },
};

describe("natural-phrasing eval sets stay out of training", () => {
  const kb = generateKnowledgeBase({ seed: small.seed, count: 80 });
  const search = new CorpusSearch(factDocuments(kb, { copies: 2 }).map((d) => d.text));
  const names = kb.entities.map((e) => e.name).sort((a, b) => b.length - a.length);
  const userPrompts = (messages: ReadonlyArray<{ role: string; content: string }>) =>
    messages.filter((m) => m.role === "user").map((m) => m.content);

  it("has at least 100 prompts per claim", () => {
    for (const [claim, prompts] of Object.entries(natural))
      expect(prompts.length, claim).toBeGreaterThanOrEqual(100);
  });

  it("no eval prompt or knowledge frame (normalised) is an SFT, RL or pretraining task prompt of the small preset with every phrasing on", () => {
    const training = new Set<string>();
    const add = (text: string) => {
      let t = text;
      for (const name of names) t = t.replaceAll(name, NAME);
      training.add(normalizePrompt(t));
    };
    for (const form of ["steps-first", "answer-first"] as const) {
      const mix = sftMixture(config, kb, form, words, (q) => search.search(q));
      for (const c of [...mix.train, ...mix.val]) for (const p of userPrompts(c.messages)) add(p);
    }
    // RL's letter and word-count prompts, the word counts all in the other phrasings
    // (rl.wordCountPhrasingShare 1), whatever the preset's rl.task
    const rl = rlTaskSets(["letter-count", "word-count"], {
      count: 2000,
      seed: small.seed,
      letterCount: { words, paraphraseShare: config.sft.phrasing.share },
      wordCount: {
        ...wordCountOptions(config, words),
        paraphraseShare: 1,
        morePhrasingShare: 0.4,
        textFirstShare: 0.3,
        repeatShare: 0.15,
      },
    });
    for (const task of rl.train) add(task.prompt);
    // the pretraining task documents in the other phrasings ("Q: ..." lines)
    for (const doc of taskDocuments(4000, small.seed, words, 1))
      for (const line of doc.text.split("\n")) if (line.startsWith("Q: ")) add(line.slice(3));
    expect(training.size).toBeGreaterThan(1000);
    const leaks = [
      ...[natural.letters, natural.decimals, natural.identity, natural.wordCount, natural.smallTalk]
        .flat()
        .filter((p) => training.has(normalizePrompt(p))),
      ...natural.knowledge.filter((f) => training.has(normalizePrompt(f.replaceAll("{n}", NAME)))),
    ];
    expect(leaks).toEqual([]);
  });

  it("no short small-talk or identity line (@llm/sft shortLines, SHORT_IDENTITY_LINES, every one) is an eval prompt", () => {
    const asked = new Set(Object.values(natural).flat().map(normalizePrompt));
    const lines = [
      ...shortLines().map((l) => l.text.replaceAll("{name}", small.sft.identity.name)),
      ...Object.values(SHORT_IDENTITY_LINES).flatMap((byLang) => [...byLang.en, ...byLang.zh]),
    ];
    expect(lines.length).toBeGreaterThan(150);
    expect(lines.filter((l) => asked.has(normalizePrompt(l)))).toEqual([]);
  });

  it("compares prompts without case and punctuation", () => {
    expect(normalizePrompt("How many r's are in strawberry?")).toBe(
      normalizePrompt("how many rs are in STRAWBERRY"),
    );
  });
});
