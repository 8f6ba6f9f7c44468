import { resolve } from "node:path";
import { PassThrough } from "node:stream";
import type { ChatEngine, Tokenizer } from "@llm/core";
import { initBackend } from "@llm/model";
import { describe, expect, it } from "vitest";
import { ByteTokenizer, ScriptedEngine } from "./__fixtures__/scripted-engine.js";
import { loadRun } from "./load-run.js";
import { runTerminalChat } from "./terminal-chat.js";

async function session(
  lines: string[],
  engine: ChatEngine = new ScriptedEngine(0),
  tokenizer: Tokenizer = new ByteTokenizer(),
  maxTokens?: number,
): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = "";
  output.on("data", (d) => {
    text += d.toString();
  });
  const done = runTerminalChat({
    engine,
    tokenizer,
    input,
    output,
    color: false,
    ...(maxTokens ? { maxTokens } : {}),
  });
  for (const line of lines) input.write(`${line}\n`);
  input.end();
  await done;
  return text;
}

describe("terminal chat", () => {
  it("streams replies over several turns and shows tool calls apart from the text", async () => {
    const text = await session(["hello", "count the r in strawberry", "/quit", "never sent"]);
    expect(text).toContain("assistant> You said: hello");
    expect(text).toContain('[tool call] "strawberry".split("r").length - 1');
    expect(text).toContain("[output] 3");
    expect(text).toContain("There are 3 r's.");
    expect(text).not.toContain("<|python_start|>");
    expect(text).not.toContain("never sent");
  });

  it("handles /temperature, /tokens, /reset and unknown commands", async () => {
    const text = await session([
      "/temperature 5",
      "/temperature 0.2",
      "hi",
      "/tokens",
      "/reset",
      "/tokens",
      "/nope",
    ]);
    expect(text).toContain("usage: /temperature X");
    expect(text).toContain("(temperature 0.2)");
    expect(text).toMatch(/\d+ tokens: 104 105/);
    expect(text).toContain("(conversation cleared)");
    expect(text).toContain("(nothing yet)");
    expect(text).toContain("unknown command /nope");
  });
});

describe("terminal chat when a reply goes wrong", () => {
  it("prints an engine failure and an unclosed tool call, and carries on", async () => {
    const text = await session(["fail please", "unclosed one", "hello again"]);
    expect(text).toContain("[error] the engine broke (the conversation is kept)");
    expect(text).toContain('[unfinished tool call] "strawberry".split("r")');
    expect(text).toContain("assistant> You said: hello again");
  });

  it("refuses a message longer than the real model's context and keeps the conversation", async () => {
    await initBackend("wasm");
    const run = await loadRun(resolve(import.meta.dirname, "__fixtures__/tiny-run"));
    try {
      const long = "one two three four five six seven eight nine ten ".repeat(60);
      const text = await session(["count", long, "/tokens", "count"], run.engine, run.tokenizer, 5);
      expect(text).toMatch(/\[error\] That message needs \d+ tokens; the model's context holds \d+/);
      // The conversation went on: the refused message is not in it, the next reply came.
      expect(text.match(/assistant> one two three/g)?.length).toBe(2);
      expect(text).not.toContain(`${long.slice(0, 60)}\n`);
      // A history that outgrows the context loses its oldest turns, and the terminal says so.
      const medium = "one two three four five six seven eight nine ten ".repeat(10);
      const grown = await session(
        [medium, medium, medium, medium, medium, medium],
        run.engine,
        run.tokenizer,
        5,
      );
      expect(grown).toMatch(/\((\d+) older messages left out to fit the model's context\)/);
      expect(grown.match(/assistant> one two/g)?.length).toBe(6);
    } finally {
      await run.dispose();
    }
  });
});
