import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { ByteTokenizer, ScriptedEngine } from "./__fixtures__/scripted-engine.js";
import { runTerminalChat } from "./terminal-chat.js";

async function session(lines: string[]): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = "";
  output.on("data", (d) => {
    text += d.toString();
  });
  const done = runTerminalChat({
    engine: new ScriptedEngine(0),
    tokenizer: new ByteTokenizer(),
    input,
    output,
    color: false,
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
