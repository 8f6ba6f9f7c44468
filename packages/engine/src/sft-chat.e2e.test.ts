import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Conversation, Message } from "@llm/core";
import { GPT, initBackend, loadCheckpoint } from "@llm/model";
import { trainSft } from "@llm/sft";
import { ByteTokenizer } from "@llm/sft/testing";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectChat, SftChatEngine, type SftChatOptions } from "./chat-engine.js";
import { ToolSandbox } from "./tool-sandbox.js";

const tok = new ByteTokenizer();
const conversations: Conversation[] = [
  {
    messages: [
      { role: "user", content: "who are you?" },
      { role: "assistant", content: "I am Pebble." },
    ],
  },
  {
    messages: [
      { role: "user", content: "r in berry?" },
      { role: "assistant", content: "", toolCalls: [{ code: '"berry".split("r").length-1' }] },
      { role: "tool", content: "2" },
      { role: "assistant", content: "#### 2" },
    ],
  },
  {
    messages: [
      { role: "user", content: "9.11 or 9.9?" },
      { role: "assistant", content: "", toolCalls: [{ code: "Math.max(9.11,9.9)" }] },
      { role: "tool", content: "9.9" },
      { role: "assistant", content: "#### 9.9" },
    ],
  },
  {
    messages: [
      { role: "user", content: "hi" },
      { role: "assistant", content: "hello!" },
      { role: "user", content: "9.11 or 9.9?" },
      { role: "assistant", content: "", toolCalls: [{ code: "Math.max(9.11,9.9)" }] },
      { role: "tool", content: "9.9" },
      { role: "assistant", content: "#### 9.9" },
    ],
  },
];

let sandbox: ToolSandbox;
let dir: string;
beforeAll(async () => {
  await initBackend("wasm");
  sandbox = await ToolSandbox.create();
  dir = await mkdtemp(join(tmpdir(), "sft-e2e-"));
});
afterAll(async () => {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});

describe("SFT end to end", () => {
  it("overfits a handful of conversations and reproduces them through the engine, tool call included", async () => {
    const model = new GPT(
      { vocabSize: tok.vocabSize, seqLen: 64, nLayer: 2, nEmbd: 64, nHead: 2 },
      { seed: 1 },
    );
    const losses: number[] = [];
    const result = await trainSft(
      model,
      conversations,
      {
        tokenizer: tok,
        batchSize: 4,
        mode: "pad",
        steps: 60,
        lr: 2e-2,
        warmupSteps: 10,
        weightDecay: 0,
        valConversations: conversations,
        checkpointDir: join(dir, "sft"),
        seed: 1,
      },
      { onStep: (e) => losses.push(e.loss) },
    );
    expect(result.steps).toBe(60);
    expect(result.skipped).toBe(0);
    expect(losses[0]).toBeGreaterThan(3);
    expect(result.valLoss).toBeLessThan(0.1);

    // The checkpoint written by @llm/model's trainer loads back into an engine.
    const loaded = await loadCheckpoint(join(dir, "sft"), { vocabSize: tok.vocabSize });
    expect(loaded.state.stage).toBe("sft");
    model.dispose();
    const engine = new SftChatEngine({ model: loaded.model, tokenizer: tok, sandbox });
    const before = tf.memory().numTensors;

    const hi = await collectChat(engine, [{ role: "user", content: "who are you?" }], {}, tok);
    expect(hi.reason).toBe("stop");
    expect(hi.messages).toEqual([{ role: "assistant", content: "I am Pebble." }]);

    const events: string[] = [];
    let turn: Awaited<ReturnType<typeof collectChat>> | undefined;
    for await (const event of engine.chat([{ role: "user", content: "r in berry?" }])) {
      events.push(event.type);
      if (event.type === "tool_output") expect(event).toMatchObject({ output: "2", isError: false });
      if (event.type === "done")
        turn = {
          text: tok.decode(event.tokens),
          messages: event.messages,
          tokens: event.tokens,
          reason: event.reason,
        };
    }
    expect(events).toContain("tool_call");
    expect(events.indexOf("tool_output")).toBeGreaterThan(events.indexOf("tool_call"));
    expect(turn?.reason).toBe("stop");
    expect(turn?.text).toBe(
      '<|python_start|>"berry".split("r").length-1<|python_end|><|output_start|>2<|output_end|>#### 2',
    );
    expect(turn?.messages).toEqual([
      { role: "assistant", content: "", toolCalls: [{ code: '"berry".split("r").length-1' }] },
      { role: "tool", content: "2" },
      { role: "assistant", content: "#### 2" },
    ]);

    // Multi-turn: the second turn reuses the KV cache of the first and still answers.
    const history = [{ role: "user" as const, content: "hi" }];
    const first = await collectChat(engine, history, {}, tok);
    expect(first.messages[0]?.content).toBe("hello!");
    const decimal = await collectChat(
      engine,
      [...history, ...first.messages, { role: "user", content: "9.11 or 9.9?" }],
      {},
      tok,
    );
    expect(decimal.text).toBe(
      "<|python_start|>Math.max(9.11,9.9)<|python_end|><|output_start|>9.9<|output_end|>#### 9.9",
    );
    // Only the new exchange was fed: "hello!" and everything before it came from the cache.
    expect(engine.lastPrefillTokens).toBe(
      tok.encode("<|assistant_end|><|user_start|>9.11 or 9.9?<|user_end|><|assistant_start|>", {
        allowedSpecial: "all",
      }).length,
    );

    // A tool-call cap of 0 stops the turn at the first call.
    const capped = await collectChat(
      engine,
      [{ role: "user", content: "r in berry?" }],
      { maxToolCalls: 0 },
      tok,
    );
    expect(capped.reason).toBe("tool_limit");
    const short = await collectChat(
      engine,
      [{ role: "user", content: "who are you?" }],
      { maxTokens: 3 },
      tok,
    );
    expect(short).toMatchObject({ reason: "length", text: "I a" });
    const controller = new AbortController();
    controller.abort();
    const aborted = await collectChat(
      engine,
      [{ role: "user", content: "hi" }],
      { signal: controller.signal },
      tok,
    );
    expect(aborted.reason).toBe("aborted");
    // Without tools the call is not run: the model continues on its own after <|python_end|>.
    const noTools: string[] = [];
    for await (const event of engine.chat([{ role: "user", content: "r in berry?" }], {
      tools: false,
      maxTokens: 40,
    }))
      noTools.push(event.type);
    expect(noTools).toContain("tool_call");
    expect(noTools).not.toContain("tool_output");

    // chatToolModes equals two chat() calls, tools off and on, greedy and sampled, with and without
    // a call (the tools-on turn continues from the tools-off turn's state at its first call).
    const done = async (messages: Message[], options: SftChatOptions) => {
      for await (const event of engine.chat(messages, options)) if (event.type === "done") return event;
      throw new Error("no done event");
    };
    const asks: Array<[Message[], SftChatOptions]> = [
      [[{ role: "user", content: "r in berry?" }], {}],
      [[{ role: "user", content: "9.11 or 9.9?" }], { maxTokens: 40 }],
      [[{ role: "user", content: "who are you?" }], {}],
      [[{ role: "user", content: "r in berry?" }], { maxToolCalls: 0 }],
      [[{ role: "user", content: "r in berry?" }], { maxTokens: 12 }],
      [[{ role: "user", content: "9.11 or 9.9?" }], { temperature: 1.5, seed: 3, maxTokens: 40 }],
      [[{ role: "user", content: "r in berry?" }], { temperature: 2, seed: 11, maxTokens: 40 }],
    ];
    let forkedCalls = 0;
    for (const [messages, options] of asks) {
      const both = await engine.chatToolModes(messages, options);
      expect(both.off).toEqual(await done(messages, { ...options, tools: false }));
      expect(both.on).toEqual(await done(messages, { ...options, tools: true }));
      if (both.off.messages.some((m) => (m.toolCalls?.length ?? 0) > 0)) forkedCalls++;
    }
    expect(forkedCalls).toBeGreaterThanOrEqual(3);
    // a second turn whose tools-off answer reuses the cached first turn: the same as the two calls too
    const greeting: Message[] = [{ role: "user", content: "hi" }];
    const second = async (): Promise<Message[]> => [
      ...greeting,
      ...(await done(greeting, {})).messages,
      { role: "user", content: "9.11 or 9.9?" },
    ];
    const followUp = await second();
    const both = await engine.chatToolModes(followUp, {});
    expect(engine.lastPrefillTokens).toBeGreaterThan(0);
    await second();
    expect(both.off).toEqual(await done(followUp, { tools: false }));
    expect(both.on).toEqual(await done(followUp, { tools: true }));
    // The number guards. On a question it learnt they change nothing; on a pair it never saw
    // (9.11 or 9.8) it copies the learnt 9.9 into the call, and with the guard the question's 9.8.
    const guards: SftChatOptions = { numberGuardCalls: ["Math.max", "Math.min"], answerGuard: true };
    const learnt = [{ role: "user" as const, content: "9.11 or 9.9?" }];
    expect((await collectChat(engine, learnt, guards, tok)).text).toBe(
      (await collectChat(engine, learnt, {}, tok)).text,
    );
    const unseen = [{ role: "user" as const, content: "9.11 or 9.8?" }];
    expect((await collectChat(engine, unseen, { maxTokens: 24 }, tok)).text).toMatch(
      /^<\|python_start\|>Math\.max\(9\.11,9\.9\)/,
    );
    expect((await collectChat(engine, unseen, { ...guards, maxTokens: 24 }, tok)).text).toMatch(
      /^<\|python_start\|>Math\.max\(9\.11,9\.8[^\d]/,
    );
    // with the guards too, chatToolModes equals the two calls
    const guardedBoth = await engine.chatToolModes(unseen, { ...guards, maxTokens: 24 });
    expect(guardedBoth.off).toEqual(await done(unseen, { ...guards, maxTokens: 24, tools: false }));
    expect(guardedBoth.on).toEqual(await done(unseen, { ...guards, maxTokens: 24, tools: true }));
    engine.dispose();
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
    loaded.model.dispose();
  }, 120_000);
});
