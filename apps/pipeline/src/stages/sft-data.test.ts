import { isLlmError } from "@llm/core";
import { CorpusSearch } from "@llm/engine";
import { factDocuments, generateKnowledgeBase } from "@llm/sft";
import { describe, expect, it } from "vitest";
import type { PipelineConfig } from "../pipeline-config.js";
import { tiny } from "../presets/tiny.js";
import { sftMixture } from "./sft-data.js";

function withShare(share: number | undefined): PipelineConfig {
  const { letterToolShare: _, ...sft } = { ...tiny.sft, mixture: { ...tiny.sft.mixture, letterCount: 40 } };
  const fromMemory = { ...sft, knowledge: { source: "memory" as const } };
  return { ...tiny, sft: share === undefined ? fromMemory : { ...fromMemory, letterToolShare: share } };
}

describe("sftMixture letter counting", () => {
  const kb = generateKnowledgeBase({ seed: 1, count: 20 });
  const letterConversations = (share: number | undefined) =>
    sftMixture(withShare(share), kb, "steps-first").train.filter((c) => c.source?.startsWith("letter-count"));

  it("solves every letter count with the tool by default", () => {
    const conversations = letterConversations(undefined);
    expect(conversations.length).toBeGreaterThan(20);
    expect(conversations.every((c) => c.messages.some((m) => m.toolCalls?.length))).toBe(true);
  });

  it("spells out the share of letter counts that letterToolShare leaves to the model", () => {
    const conversations = letterConversations(0.5);
    const withTool = conversations.filter((c) => c.messages.some((m) => m.toolCalls?.length));
    const spelled = conversations.filter((c) => c.source === "letter-count-direct");
    expect(withTool.length + spelled.length).toBe(conversations.length);
    expect(withTool.length / conversations.length).toBeGreaterThan(0.3);
    expect(withTool.length / conversations.length).toBeLessThan(0.7);
    // A spelled-out answer numbers each match: "s-t-r(1)-a-w-b-e-r(2)-r(3)-y" then "#### 3".
    expect(spelled[0]?.messages[1]?.content).toMatch(/^[a-z](\(\d+\))?(-[a-z](\(\d+\))?)*\n#### \d+$/);
    expect(letterConversations(0).every((c) => c.source === "letter-count-direct")).toBe(true);
  });

  it("letterPhrasing.toolOnly: every question in a learner's phrasing with the tool; letterCall count", () => {
    const base = withShare(0.5);
    const config = {
      ...base,
      sft: {
        ...base.sft,
        letterCall: "count" as const,
        letterPhrasing: { share: 0.5, more: true, toolOnly: true },
      },
    };
    const conversations = sftMixture(config, kb, "steps-first").train.filter((c) =>
      c.source?.startsWith("letter-count"),
    );
    const spelled = conversations.filter((c) => c.source === "letter-count-direct");
    const calls = conversations.flatMap((c) => c.messages.flatMap((m) => m.toolCalls ?? []));
    expect(spelled.length).toBeGreaterThan(0);
    expect(calls.length).toBeGreaterThan(conversations.length * 0.6);
    // spelled-out questions are all on the quoted templates
    for (const c of spelled) expect(c.messages[0]?.content).toMatch(/"[a-z]+"\?$/);
    for (const call of calls) expect(call.code).toMatch(/^count\(" ?[a-z]+", " ?[a-z]"\)$/);
  });

  it("sft.wordCount.stepChunk reaches the word-counting conversations", () => {
    const base = withShare(undefined);
    const wordCount = { ...base.sft.wordCount, paraphraseShare: 1, textFirstShare: 0.5, stepChunk: 3 };
    const config = {
      ...base,
      sft: { ...base.sft, mixture: { ...base.sft.mixture, wordCount: 60 }, wordCount },
    };
    const conversations = sftMixture(config, kb, "steps-first").train.filter((c) =>
      c.source?.startsWith("word-count"),
    );
    expect(conversations.length).toBeGreaterThan(30);
    for (const c of conversations) {
      const [user, assistant] = c.messages;
      const steps = assistant?.content.split("\n")[0] ?? "";
      // "w w w 3 w w w 6 ...": never a number after the first word alone
      expect(steps, steps).not.toMatch(/^\s*\S+ 1\b/);
      expect(user?.content.length).toBeGreaterThan(0);
    }
  });

  it("sft.identity.yesNoShare and greetBack, sft.smallTalk and sft.decimalCompare reach their conversations", () => {
    const base = withShare(undefined);
    const config = {
      ...base,
      sft: {
        ...base.sft,
        mixture: { ...base.sft.mixture, identity: 200, smallTalk: 200, decimalCompare: 200 },
        phrasing: { share: 1, knowledgeParaphrases: 0 },
        identity: { ...base.sft.identity, yesNoShare: 0.3, greetingShare: 0.5, greetBack: true },
        smallTalk: { areYouShare: 0.3, howAreYouNameShare: 1, openerShare: 0.3 },
        decimalCompare: { closePairShare: 0.5, morePhrasingShare: 0.5 },
      },
    };
    const train = sftMixture(config, kb, "steps-first").train;
    const replies = (source: string) =>
      train.filter((c) => c.source === source).map((c) => c.messages.at(-1)?.content ?? "");
    expect(replies("identity").filter((r) => r.startsWith("No. I am Tiny")).length).toBeGreaterThan(10);
    // greetBack: an identity question after a greeting is answered with a greeting first
    expect(replies("identity").filter((r) => /^(Hi|Hey|Hello|Good \w+)[!,]/.test(r)).length).toBeGreaterThan(
      10,
    );
    expect(replies("small-talk").filter((r) => r.includes("I'm Tiny")).length).toBeGreaterThan(10);
    const decimals = train
      .filter((c) => c.source === "decimal-compare-tool")
      .map((c) => c.messages[0]?.content);
    expect(decimals.filter((p) => /kg|euros|dollars|pounds|price/.test(p ?? "")).length).toBeGreaterThan(10);
    // off by default
    expect(
      sftMixture(base, kb, "steps-first").train.some((c) =>
        c.messages.at(-1)?.content.startsWith("No. I am"),
      ),
    ).toBe(false);
    expect(
      sftMixture(base, kb, "steps-first").train.some(
        (c) => c.source === "identity" && /^(Hi|Hey|Hello)! I am/.test(c.messages.at(-1)?.content ?? ""),
      ),
    ).toBe(false);
  });

  it("rejects a share outside [0, 1], naming the field", () => {
    try {
      letterConversations(1.5);
      expect.unreachable();
    } catch (error) {
      expect(isLlmError(error, "INVALID_CONFIG")).toBe(true);
      expect(String((error as Error).message)).toContain("sft.letterToolShare");
    }
  });
});

describe("sftMixture knowledge through search", () => {
  const kb = generateKnowledgeBase({ seed: 1, count: 20 });
  const corpus = new CorpusSearch(factDocuments(kb, { copies: 3 }).map((d) => d.text));
  const searching: PipelineConfig = {
    ...tiny,
    sft: { ...tiny.sft, knowledge: { source: "search" as const } },
  };
  const knowledge = (config: PipelineConfig, search?: (q: string) => string[]) =>
    sftMixture(config, kb, "steps-first", undefined, search).train.filter(
      (c) => c.source === "knowledge" || c.source === "refusal",
    );

  it("looks every entity up before answering when sft.knowledge.source is search", () => {
    const conversations = knowledge(searching, (q) => corpus.search(q));
    expect(conversations.length).toBeGreaterThan(0);
    for (const c of conversations) {
      expect(c.messages[1]?.toolCalls?.[0]?.code).toMatch(/^search\(" ?[A-Z][a-z]+"\)$/);
      const found = JSON.parse(c.messages[2]?.content ?? "") as string[];
      expect(found.length === 0).toBe(c.source === "refusal");
    }
    // off: answers from memory, no tool call
    const fromMemory = { ...tiny, sft: { ...tiny.sft, knowledge: { source: "memory" as const } } };
    expect(knowledge(fromMemory).every((c) => c.messages.length === 2)).toBe(true);
  });

  it("needs the corpus search when sft.knowledge.source is search", () => {
    expect(() => knowledge(searching)).toThrow(/sft.knowledge \{ source: "search" \} needs the run's corpus/);
  });
});
