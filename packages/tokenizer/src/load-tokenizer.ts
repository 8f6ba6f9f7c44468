/**
 * loadTokenizer: one entry point that turns a name or a path into a Tokenizer: a name of
 * COMPARISON_TOKENIZERS (gpt2, cl100k_base, o200k_base, deepseek_v3, qwen3), a `.tiktoken` rank
 * file, our tokenizer.json, or a Hugging Face tokenizer.json (detected from its content).
 * Reference: tiktoken get_encoding / transformers AutoTokenizer. Leaves out: downloads.
 */
import { readFile } from "node:fs/promises";
import { LlmError, type Tokenizer } from "@llm/core";
import { BpeTokenizer } from "./bpe-tokenizer.js";
import {
  COMPARISON_TOKENIZERS,
  type ComparisonTokenizerName,
  loadComparisonTokenizer,
} from "./comparison-tokenizers.js";
import { parseHuggingFaceTokenizer } from "./hf-tokenizer.js";
import { loadTiktokenFile } from "./tiktoken-file.js";
import { parseTokenizerFile, TOKENIZER_FORMAT } from "./tokenizer-file.js";

export async function loadTokenizer(spec: string): Promise<Tokenizer> {
  if ((COMPARISON_TOKENIZERS as readonly string[]).includes(spec))
    return loadComparisonTokenizer(spec as ComparisonTokenizerName);
  if (spec.endsWith(".tiktoken")) return loadTiktokenFile(spec);
  let text: string;
  try {
    text = await readFile(spec, "utf8");
  } catch (cause) {
    throw new LlmError("FILE_NOT_FOUND", `No tokenizer named or stored at ${spec}.`, {
      input: spec,
      hint: `Give a tokenizer.json or .tiktoken path, or one of ${COMPARISON_TOKENIZERS.join(", ")}.`,
      cause,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new LlmError("FILE_CORRUPT", `Tokenizer file ${spec} is not valid JSON.`, { input: spec, cause });
  }
  const isOurs = (json as { format?: unknown } | null)?.format === TOKENIZER_FORMAT;
  const name =
    spec
      .replace(/\/?tokenizer\.json$/, "")
      .split("/")
      .pop() || spec;
  return isOurs
    ? new BpeTokenizer(parseTokenizerFile(json, spec))
    : parseHuggingFaceTokenizer(json, spec, name);
}
