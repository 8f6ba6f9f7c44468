import type { Message } from "@llm/core";
import { GPT, initBackend } from "@llm/model";
import { renderPrompt } from "@llm/sft";
import { trainBpe } from "@llm/tokenizer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ContextOverflowError, SftChatEngine } from "./chat-engine.js";

let model: GPT;
let engine: SftChatEngine;
let tokenizer: Awaited<ReturnType<typeof trainBpe>>;

beforeAll(async () => {
  await initBackend("cpu");
  tokenizer = await trainBpe("alpha beta gamma delta epsilon zeta eta theta ".repeat(10), { vocabSize: 300 });
  model = new GPT(
    { vocabSize: tokenizer.vocabSize, seqLen: 64, nLayer: 1, nEmbd: 16, nHead: 2 },
    { seed: 1 },
  );
  engine = new SftChatEngine({ model, tokenizer });
});
afterAll(() => model.dispose());

const words = (n: number) => Array.from({ length: n }, (_, i) => ["alpha", "beta", "gamma"][i % 3]).join(" ");

describe("SftChatEngine.fitContext", () => {
  it("keeps a history that fits, whole", () => {
    const messages: Message[] = [{ role: "user", content: "alpha beta" }];
    const fitted = engine.fitContext(messages, 8);
    expect(fitted).toMatchObject({ messages, droppedMessages: 0, budget: 56 });
    expect(fitted.promptTokens).toBe(renderPrompt(messages, tokenizer).length);
  });

  it("drops the oldest exchanges, keeps the system message, leaves room for the reply", () => {
    const messages: Message[] = [
      { role: "system", content: "gamma" },
      { role: "user", content: words(12) },
      { role: "assistant", content: words(12) },
      { role: "user", content: words(12) },
      { role: "assistant", content: words(12) },
      { role: "user", content: "delta" },
    ];
    const fitted = engine.fitContext(messages, 100); // the reply's room is capped at seqLen / 4
    expect(fitted.budget).toBe(48);
    expect(fitted.droppedMessages).toBeGreaterThan(0);
    expect(fitted.messages[0]).toEqual(messages[0]);
    expect(fitted.messages[fitted.messages.length - 1]).toEqual(messages[5]);
    expect(fitted.messages.length + fitted.droppedMessages).toBe(messages.length);
    expect(renderPrompt(fitted.messages, tokenizer).length).toBe(fitted.promptTokens);
    expect(fitted.promptTokens).toBeLessThanOrEqual(48);
  });

  it("throws ContextOverflowError when the last message alone cannot fit", () => {
    const messages: Message[] = [{ role: "user", content: words(80) }];
    let caught: unknown;
    try {
      engine.fitContext(messages, 8);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ContextOverflowError);
    const overflow = caught as ContextOverflowError;
    expect(overflow.code).toBe("INVALID_INPUT");
    expect(overflow.budgetTokens).toBe(56);
    expect(overflow.neededTokens).toBe(renderPrompt(messages, tokenizer).length);
  });
});
