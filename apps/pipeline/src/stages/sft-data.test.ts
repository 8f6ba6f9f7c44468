import { isLlmError } from "@llm/core";
import { generateKnowledgeBase } from "@llm/sft";
import { describe, expect, it } from "vitest";
import type { PipelineConfig } from "../pipeline-config.js";
import { tiny } from "../presets/tiny.js";
import { sftMixture } from "./sft-data.js";

function withShare(share: number | undefined): PipelineConfig {
  const { letterToolShare: _, ...sft } = { ...tiny.sft, mixture: { ...tiny.sft.mixture, letterCount: 40 } };
  return { ...tiny, sft: share === undefined ? sft : { ...sft, letterToolShare: share } };
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
