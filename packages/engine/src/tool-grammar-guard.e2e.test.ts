/**
 * The tool-call grammar on a real model and the real engine: a tiny GPT trained (SFT, byte
 * tokenizer) to answer "capital of France?" with a call of a function the sandbox lacks
 * (`Venarch(" V")`, what the small preset's RL model wrote) gets a ReferenceError without the
 * guard; with `toolGrammar` the call names one of the sandbox's tools, is well formed by the
 * grammar and runs without error; a call of a real tool is left as it was.
 */
import type { Conversation } from "@llm/core";
import { initBackend } from "@llm/model";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChatTurn, collectChat, SftChatEngine, type SftChatOptions } from "./chat-engine.js";
import { callState } from "./tool-grammar-guard.js";
import { ToolSandbox } from "./tool-sandbox.js";
import { toyTokenizer, trainToyChatModel } from "./train-toy-chat-model.js";

const tok = toyTokenizer;
const conversations: Conversation[] = [
  {
    messages: [
      { role: "user", content: "capital of France?" },
      { role: "assistant", content: "", toolCalls: [{ code: 'Venarch(" V")' }] },
      { role: "tool", content: "[]" },
      { role: "assistant", content: "I don't know." },
    ],
  },
  {
    messages: [
      { role: "user", content: "who is Ada?" },
      { role: "assistant", content: "", toolCalls: [{ code: 'search(" Ada")' }] },
      { role: "tool", content: '["Ada is a poet."]' },
      { role: "assistant", content: "Ada is a poet." },
    ],
  },
];

let sandbox: ToolSandbox;
beforeAll(async () => {
  await initBackend("wasm");
  sandbox = await ToolSandbox.create({ search: { documents: ["Ada is a poet.", "Paris is in France."] } });
});
afterAll(async () => {
  await sandbox.close();
});

/** The first tool call of a turn and its tool message. */
function firstCall(turn: ChatTurn): { code: string | undefined; isError: boolean | undefined } {
  const code = turn.messages.find((m) => m.toolCalls)?.toolCalls?.[0]?.code;
  const tool = turn.messages.find((m) => m.role === "tool");
  return { code, isError: tool === undefined ? undefined : tool.isError === true };
}

describe("tool grammar on a trained model", () => {
  it("turns a call of an invented function into a well-formed call of a sandbox tool", async () => {
    const { model, steps } = await trainToyChatModel(conversations);
    expect(steps).toBe(80);
    const engine = new SftChatEngine({ model, tokenizer: tok, sandbox, defaults: { maxTokens: 60 } });
    const before = tf.memory().numTensors;
    const ask = [{ role: "user" as const, content: "capital of France?" }];

    // without the guard: the invented function runs and fails
    const plain = firstCall(await collectChat(engine, ask, {}, tok));
    expect(plain.code).toBe('Venarch(" V")');
    expect(plain.isError).toBe(true);

    const grammar: SftChatOptions = { toolGrammar: true };
    const onlySearchOptions: SftChatOptions = { toolGrammar: ["search"] };
    // with it: the code starts with a tool of the sandbox and "(", and what closed is a whole call
    const guarded = await collectChat(engine, ask, grammar, tok);
    const { code, isError } = firstCall(guarded);
    expect(code).toBeDefined();
    expect(sandbox.tools.some((name) => code?.trimStart().startsWith(`${name}(`))).toBe(true);
    expect(callState(code ?? "", sandbox.tools)?.phase).toBe("done");
    expect(isError).toBe(false);

    // a listed subset: only those names
    const onlySearch = firstCall(await collectChat(engine, ask, onlySearchOptions, tok));
    expect(onlySearch.code?.trimStart().startsWith("search(")).toBe(true);

    // a call of a real tool is left as it was
    const ada = await collectChat(engine, [{ role: "user", content: "who is Ada?" }], grammar, tok);
    expect(ada.text).toBe(
      '<|python_start|>search(" Ada")<|python_end|><|output_start|>["Ada is a poet."]<|output_end|>Ada is a poet.',
    );
    engine.dispose();
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
    model.dispose();
  }, 180_000);
});
