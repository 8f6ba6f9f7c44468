/**
 * The forced tool output never slides the question out of the window: a tiny GPT of context 128
 * (SFT, byte tokenizer) that learnt `search(" Ada")` -> `["Ada is a poet."]` -> "Ada is a poet."
 * meets a corpus whose Ada document is 300 characters long. Forced whole (`toolOutputRoom: false`)
 * the output makes the turn outgrow the context (the KV window restarts from the latest tokens,
 * without the question); by default it is cut so that prompt + call + output leave a quarter of
 * the context (32 tokens) for the reply, and the tool message holds the cut output.
 */
import type { Conversation } from "@llm/core";
import { initBackend } from "@llm/model";
import { renderPrompt } from "@llm/sft";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChatTurn, collectChat, SftChatEngine, type SftChatOptions } from "./chat-engine.js";
import { ToolSandbox } from "./tool-sandbox.js";
import { toyTokenizer, trainToyChatModel } from "./train-toy-chat-model.js";

const tok = toyTokenizer;
const conversations: Conversation[] = [
  {
    messages: [
      { role: "user", content: "who is Ada?" },
      { role: "assistant", content: "", toolCalls: [{ code: 'search(" Ada")' }] },
      { role: "tool", content: '["Ada is a poet."]' },
      { role: "assistant", content: "Ada is a poet." },
    ],
  },
];
const longAda = `Ada is a poet ${"and a painter ".repeat(20)}from Tortor.`;

let sandbox: ToolSandbox;
beforeAll(async () => {
  await initBackend("wasm");
  sandbox = await ToolSandbox.create({ search: { documents: [longAda], snippetChars: 400 } });
});
afterAll(async () => {
  await sandbox.close();
});

/** Tokens of the turn up to and including <|output_end|> after the first tool output: the prompt, then what the engine produced. */
function tokensThroughOutput(turn: ChatTurn, prompt: number[]): number {
  const end = turn.tokens.indexOf(tok.specialId("<|output_end|>"));
  expect(end).toBeGreaterThan(0);
  return prompt.length + end + 1;
}

/** SftChatOptions for collectChat, which takes the engine-neutral ChatOptions. */
const room = (options: SftChatOptions): SftChatOptions => options;

describe("tool output room on a trained model", () => {
  it("cuts a long search result so that the question stays in the context", async () => {
    const { model } = await trainToyChatModel(conversations, 128);
    const engine = new SftChatEngine({ model, tokenizer: tok, sandbox, defaults: { maxTokens: 200 } });
    const ask = [{ role: "user" as const, content: "who is Ada?" }];
    const prompt = renderPrompt(ask, tok);

    const whole = await collectChat(engine, ask, room({ maxTokens: 200, toolOutputRoom: false }), tok);
    expect(whole.messages[0]?.toolCalls?.[0]?.code).toBe('search(" Ada")');
    expect(whole.messages[1]?.content).toBe(JSON.stringify([longAda]));
    expect(tokensThroughOutput(whole, prompt)).toBeGreaterThan(128);

    const fitted = await collectChat(engine, ask, { maxTokens: 200 }, tok);
    expect(fitted.messages[0]?.toolCalls?.[0]?.code).toBe('search(" Ada")');
    const tool = fitted.messages[1]?.content ?? "";
    expect(tool.startsWith('["Ada is a poet and a painter')).toBe(true);
    expect(tool.endsWith('..."]')).toBe(true);
    const through = tokensThroughOutput(fitted, prompt);
    expect(through).toBeLessThanOrEqual(128 - 32);
    expect(through).toBeGreaterThan(128 - 32 - 4); // the cut uses the room it has

    // a smaller room gives the output more of the context
    const roomy = await collectChat(engine, ask, room({ maxTokens: 200, toolOutputRoom: 8 }), tok);
    expect(tokensThroughOutput(roomy, prompt)).toBeLessThanOrEqual(128 - 8);
    expect((roomy.messages[1]?.content ?? "").length).toBeGreaterThan(tool.length);
    engine.dispose();
    model.dispose();
  });

  it("leaves a result that fits as it is and rejects a room outside the context", async () => {
    const { model } = await trainToyChatModel(conversations, 128);
    const short = await ToolSandbox.create({ search: { documents: ["Ada is a poet."] } });
    const engine = new SftChatEngine({ model, tokenizer: tok, sandbox: short, defaults: { maxTokens: 80 } });
    const ask = [{ role: "user" as const, content: "who is Ada?" }];
    const turn = await collectChat(engine, ask, {}, tok);
    expect(turn.messages[1]?.content).toBe('["Ada is a poet."]');
    await expect(collectChat(engine, ask, room({ toolOutputRoom: 128 }), tok)).rejects.toThrow(
      /toolOutputRoom/,
    );
    await expect(collectChat(engine, ask, room({ toolOutputRoom: -1 }), tok)).rejects.toThrow(
      /toolOutputRoom/,
    );
    await short.close();
    engine.dispose();
    model.dispose();
  });
});
