/**
 * The loop guard on a real model and the real engine: a tiny GPT trained (SFT, byte tokenizer) to
 * answer "capital of France?" with a search whose string is a loop (`search(" V V V V ...")`, what
 * the small preset's RL model wrote) loops through the engine without the guard; with
 * `loopGuard` the string holds no piece three times in a row and no more than 40 characters,
 * closes, and the search runs in the sandbox; a call without a loop is left as it was.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Conversation } from "@llm/core";
import { initBackend } from "@llm/model";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChatTurn, collectChat, SftChatEngine, type SftChatOptions } from "./chat-engine.js";
import { openString } from "./tool-copy-guard.js";
import { repeatsPast } from "./tool-loop-guard.js";
import { ToolSandbox } from "./tool-sandbox.js";
import { toyTokenizer, trainToyChatModel } from "./train-toy-chat-model.js";

const tok = toyTokenizer;
const loop = ` V${" V".repeat(40)}`;
const conversations: Conversation[] = [
  {
    messages: [
      { role: "user", content: "capital of France?" },
      { role: "assistant", content: "", toolCalls: [{ code: `search("${loop}")` }] },
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
let dir: string;
beforeAll(async () => {
  await initBackend("wasm");
  sandbox = await ToolSandbox.create({ search: { documents: ["Ada is a poet.", "Paris is in France."] } });
  dir = await mkdtemp(join(tmpdir(), "loop-guard-e2e-"));
});
afterAll(async () => {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});

/** The first tool call's code of a turn, and whether its output came back. */
function firstCall(turn: ChatTurn): { code: string; ran: boolean } {
  const code = turn.messages.find((m) => m.toolCalls)?.toolCalls?.[0]?.code;
  return {
    code: code ?? turn.messages.map((m) => m.content).join(""),
    ran: turn.messages.some((m) => m.role === "tool"),
  };
}

describe("loop guard on a trained model", () => {
  it("closes a looping search() string the model would not close, and the call runs", async () => {
    const { model, steps } = await trainToyChatModel(conversations, 160);
    expect(steps).toBe(80);
    const engine = new SftChatEngine({ model, tokenizer: tok, sandbox, defaults: { maxTokens: 80 } });
    const before = tf.memory().numTensors;
    const ask = [{ role: "user" as const, content: "capital of France?" }];

    // without the guard: the loop runs to the token limit, the call never runs
    const plain = await collectChat(engine, ask, {}, tok);
    expect(plain.text).toContain(`search(" V V V V V V`);
    expect(firstCall(plain).ran).toBe(false);
    expect(plain.reason).toBe("length");

    // with it: a short string without a piece three times in a row, closed; the search ran
    const guard: SftChatOptions = { loopGuard: true };
    const guarded = await collectChat(engine, ask, guard, tok);
    const { code, ran } = firstCall(guarded);
    expect(code.startsWith('search(" V V')).toBe(true);
    const literal = /^search\("([^"]*)"/.exec(code)?.[1];
    expect(literal).toBeDefined();
    expect(literal?.length).toBeLessThanOrEqual(40);
    expect(repeatsPast(literal?.toLowerCase() ?? "", 0, 2, 8, 5)).toBe(false);
    expect(openString(code)).toBeUndefined();
    expect(ran).toBe(true);
    // ... and the turn ends after the model's answer to the empty result, not at the token limit
    expect(guarded.text).toContain("<|output_start|>[]<|output_end|>");
    expect(guarded.reason).toBe("stop");

    // a call without a loop is left as it was: the guard changes nothing for " Ada"
    const ada = await collectChat(engine, [{ role: "user", content: "who is Ada?" }], guard, tok);
    expect(ada.text).toBe(
      '<|python_start|>search(" Ada")<|python_end|><|output_start|>["Ada is a poet."]<|output_end|>Ada is a poet.',
    );
    engine.dispose();
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
    model.dispose();
  }, 180_000);
});
