import { describe, expect, it } from "vitest";
import { ScriptedChatEngine } from "../testing/index.js";
import { defaultIdentityPrompts, identityFinding, identityProbe } from "./identity.js";

const DEFAULT_IDENTITY_PROMPTS = await defaultIdentityPrompts();

describe("identityProbe", () => {
  it("counts answers with the configured identity, per language, base vs SFT", async () => {
    const sft = new ScriptedChatEngine(({ prompt }) =>
      /[\u4e00-\u9fff]/.test(prompt)
        ? prompt.includes("名")
          ? "我是纳米聊天。"
          : "我是 ChatGPT。" // wrong: another assistant's name
        : "I'm nanochat, a small assistant.",
    );
    const base = new ScriptedChatEngine(() => "I am a student at the university of");
    const result = await identityProbe().run({
      engines: { base, sft },
      inputs: { identity: { name: "nanochat", aliases: ["纳米聊天"] } },
    });
    const zh = DEFAULT_IDENTITY_PROMPTS.filter((p) => p.lang === "zh");
    const zhRight = zh.filter((p) => p.prompt.includes("名")).length;
    expect(zh.length).toBeGreaterThan(zhRight);
    expect(zhRight).toBeGreaterThan(0);
    expect(result.metrics["sft.identityRate.en"]).toBe(1);
    expect(result.metrics["sft.identityRate.zh"]).toBeCloseTo(zhRight / zh.length);
    expect(result.metrics["base.identityRate"]).toBe(0);
    // 13 default prompts, 6 of them Chinese, 1 of those asking for the name: (7 + 1) / 13 = 62%, 1 / 6 = 17%
    expect([DEFAULT_IDENTITY_PROMPTS.length, zh.length, zhRight]).toEqual([13, 6, 1]);
    expect(result.finding).toBe(
      'SFT answers 62% of held-out "who are you?" paraphrases as nanochat (English 100%, Chinese 17%) vs 0% for the base model (+62 points).',
    );
  });

  it("a name inside another word does not count", async () => {
    const sft = new ScriptedChatEngine(() => "I am nanochatty.");
    const result = await identityProbe().run({
      engines: { sft },
      inputs: { identity: { name: "nanochat", prompts: [{ prompt: "who?", lang: "en" }] } },
    });
    expect(result.metrics["sft.identityRate"]).toBe(0);
    expect(identityFinding(result.metrics, "nanochat")).toBe(
      'SFT answers 0% of held-out "who are you?" paraphrases as nanochat.',
    );
  });

  it("is not runnable without a configured name", async () => {
    await expect(
      identityProbe().run({ engines: { sft: new ScriptedChatEngine(() => "") } }),
    ).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
    await expect(
      identityProbe().run({
        engines: { sft: new ScriptedChatEngine(() => "") },
        inputs: { identity: { name: "" } },
      }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });
});
