/**
 * Demo: a model sees tokens, not words or letters, and different models cut the same text
 * differently. Shows gpt2, cl100k_base, o200k_base, DeepSeek-V3 and Qwen3 on "strawberry",
 * "9.11 and 9.9" and 我刚才吃了西瓜籽 (with jieba's word segmentation beside the token splits).
 * Pass your own text as arguments: `pnpm demo compare-tokenizers "your text"`.
 */
import { colorEnabled } from "@llm/core";
import { COMPARISON_TOKENIZERS, compareTokenizers, renderTerminal } from "@llm/tokenizer";
import type { DemoOutput } from "../demo-registry.js";

export const DEFAULT_TEXTS = ["strawberry", "9.11 and 9.9", "我刚才吃了西瓜籽"];

export async function run(args: readonly string[], out: DemoOutput): Promise<void> {
  const texts = args.length > 0 ? [args.join(" ")] : DEFAULT_TEXTS;
  const color = colorEnabled(process.stdout, process.env);
  for (const text of texts) {
    const comparison = await compareTokenizers(text, COMPARISON_TOKENIZERS);
    out.log(renderTerminal(comparison, { color, showIds: true }));
    const counts = comparison.views.map((v) => `${v.name} ${v.ids.length}`).join(", ");
    out.log(`tokens for ${JSON.stringify(text)}: ${counts}`);
    if (comparison.words) out.log(`jieba words: ${comparison.words.join(" | ")}`);
    out.log("");
  }
  out.log(
    "The model never sees letters: 'strawberry' arrives as a few opaque ids, which is why counting its r's is hard.",
  );
}
