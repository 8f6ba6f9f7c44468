import { describe, expect, it } from "vitest";
import { chatOnce } from "./chat-once.js";
import { ContinuationEngine } from "./continuation-engine.js";
import { CharTokenizer, MemorizingGenerator, ScriptedGenerator } from "./testing/index.js";

describe("ContinuationEngine", () => {
  const tokenizer = new CharTokenizer();
  const bos = tokenizer.specialId("<|bos|>");

  it("continues the user's text as a document after <|bos|>, without a chat template", async () => {
    const doc = "What is the capital of France? What is the capital of Spain?";
    const generator = new MemorizingGenerator(tokenizer, [[bos, ...tokenizer.encode(doc)]]);
    const engine = new ContinuationEngine({ generator, tokenizer });
    const reply = await chatOnce(engine, "What is the capital of France?", { maxTokens: 100 });
    expect(reply.text).toBe(" What is the capital of Spain?");
    expect(reply.toolCalls).toEqual([]);
  });

  it("stops at special tokens and at maxTokens, with the right reason", async () => {
    const assistantEnd = tokenizer.specialId("<|assistant_end|>");
    const generator = new ScriptedGenerator(() => [
      ...tokenizer.encode("abc"),
      assistantEnd,
      ...tokenizer.encode("zzz"),
    ]);
    const engine = new ContinuationEngine({ generator, tokenizer, prependBos: false });
    const stopped = await chatOnce(engine, "x");
    expect([stopped.text, stopped.reason, stopped.tokens]).toEqual(["abc", "stop", 3]);
    const cut = await chatOnce(engine, "x", { maxTokens: 2 });
    expect([cut.text, cut.reason]).toEqual(["ab", "length"]);
  });
});
