import { describe, expect, it } from "vitest";
import { CharTokenizer } from "../testing/index.js";
import { splitText, tokenPiece, tokensNotWordsFinding, tokensNotWordsProbe } from "./tokens-not-words.js";

describe("tokensNotWordsProbe", () => {
  it("splits the default texts under our tokenizer and the reference tokenizers", async () => {
    const result = await tokensNotWordsProbe().run({
      engines: {},
      tokenizer: new CharTokenizer("ours"),
      inputs: { "tokens-not-words": { texts: ["hello world"] } },
    });
    expect(result.metrics["ours/strawberry"]).toBe(10);
    expect(result.metrics["ours/hello world"]).toBe(11);
    // Numbers from facts.md: 我刚才吃了西瓜籽 is 19 tokens under gpt2, 14 under cl100k, 9 under
    // o200k, 5 under qwen3 and 4 under deepseek_v3.
    expect(result.metrics["gpt2/我刚才吃了西瓜籽"]).toBe(19);
    expect(result.metrics["cl100k_base/我刚才吃了西瓜籽"]).toBe(14);
    expect(result.metrics["o200k_base/我刚才吃了西瓜籽"]).toBe(9);
    expect(result.metrics["qwen3/我刚才吃了西瓜籽"]).toBe(5);
    expect(result.metrics["deepseek_v3/我刚才吃了西瓜籽"]).toBe(4);
    expect(result.metrics["cl100k_base/strawberry"]).toBeLessThan(10);
    expect(result.finding).toBe(
      'Under our tokenizer (ours), "strawberry" is 10 tokens (s|t|r|a|w|b|e|r|r|y) for its 10 characters; the other 5 tokenizers use 3; across tokenizers "9.11 and 9.9" takes 7-12 tokens for 12 characters, "我刚才吃了西瓜籽" takes 4-19 tokens for 8 characters, "hello world" takes 2-11 tokens for 11 characters.',
    );
  });

  it("shows partial UTF-8 pieces as hex bytes", async () => {
    const result = await tokensNotWordsProbe().run({ engines: {} });
    const splits = result.details!.splits as Array<{ tokenizer: string; text: string; pieces: string[] }>;
    const gpt2 = splits.find((s) => s.tokenizer === "gpt2" && s.text === "我刚才吃了西瓜籽")!;
    expect(gpt2.pieces.some((p) => /^<[0-9a-f]{2}( [0-9a-f]{2})*>$/.test(p))).toBe(true);
    expect(result.finding).toMatch(/^Under gpt2, "strawberry" is \d tokens \(/);
  });

  it("finding says when no split is one token per character", () => {
    const words = { name: "words", encode: (t: string) => t.split(" ").map((_, i) => i), decode: () => "w" };
    const splits = [splitText(words, "strawberry"), splitText(words, "two words")];
    expect(tokensNotWordsFinding(splits)).toBe(
      'Under words, "strawberry" is 1 token (w) for its 10 characters; across tokenizers "two words" takes 2 tokens for 9 characters.',
    );
    expect(tokenPiece(new CharTokenizer(), 9 + 0x4e00)).toBe("一");
  });
});
