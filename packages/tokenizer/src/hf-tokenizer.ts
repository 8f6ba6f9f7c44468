/**
 * loadHuggingFaceTokenizer: reads a Hugging Face tokenizer.json of a byte-level BPE model
 * (GPT-2, Qwen, Llama 3 style) into a BpeTokenizer that encodes with tiktoken.
 * Reference: Hugging Face tokenizers (models/bpe, pre_tokenizers/byte_level: the GPT-2
 * bytes-to-unicode table).
 *
 * Supported: model.type "BPE" over byte-level symbols; a pre-tokenizer that is either
 * ByteLevel with its own regex, or one `Split` regex (Isolated) followed by ByteLevel without
 * regex; NFC/NFD/NFKC/NFKD or no normalizer; ids of merged tokens increasing with merge order
 * (tiktoken ranks are ids); added tokens above the ordinary vocabulary (they become special
 * tokens). Leaves out, with an UNSUPPORTED_FORMAT error: several Split steps (DeepSeek-V3),
 * prefix spaces, WordPiece/Unigram models, special tokens inside the ordinary id range.
 * tiktoken merges the lowest-ranked adjacent pair whose bytes form any vocabulary entry, HF
 * the lowest-ranked listed merge; for vocabularies built by BPE training these agree (tested on
 * Qwen3's file).
 */
import { readFile } from "node:fs/promises";
import { LlmError } from "@llm/core";
import { BpeTokenizer } from "./bpe-tokenizer.js";
import { checkPattern } from "./pattern.js";

/** HF's ByteLevel regex (GPT-2's pattern). */
const BYTE_LEVEL_PATTERN =
  "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

/** GPT-2's table from printable characters back to bytes (bytes_to_unicode, inverted). */
export function byteLevelDecoder(): Map<string, number> {
  const table = new Map<string, number>();
  const printable = (b: number): boolean =>
    (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  let extra = 0;
  for (let byte = 0; byte < 256; byte++) {
    const code = printable(byte) ? byte : 256 + extra++;
    table.set(String.fromCodePoint(code), byte);
  }
  return table;
}

interface HfPreTokenizer {
  type?: string;
  pretokenizers?: HfPreTokenizer[];
  pattern?: { Regex?: string; String?: string };
  behavior?: string;
  invert?: boolean;
  add_prefix_space?: boolean;
  use_regex?: boolean;
}

export async function loadHuggingFaceTokenizer(
  path: string,
  options: { name?: string } = {},
): Promise<BpeTokenizer> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, "utf8"));
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === "ENOENT";
    throw new LlmError(
      missing ? "FILE_NOT_FOUND" : "FILE_CORRUPT",
      missing ? `Tokenizer file ${path} does not exist.` : `Tokenizer file ${path} is not valid JSON.`,
      {
        input: path,
        hint: missing ? "Check the path." : "Download the tokenizer.json again.",
        cause,
      },
    );
  }
  return parseHuggingFaceTokenizer(json, path, options.name);
}

/** Builds a BpeTokenizer from parsed HF tokenizer.json content; `source` names it in errors. */
export function parseHuggingFaceTokenizer(json: unknown, source: string, name = "huggingface"): BpeTokenizer {
  const unsupported = (problem: string): LlmError =>
    new LlmError("UNSUPPORTED_FORMAT", `${source}: ${problem}.`, {
      input: source,
      hint: "Only byte-level BPE tokenizer.json files (GPT-2, Qwen, Llama 3 style) with one pre-split regex are supported.",
    });
  const corrupt = (problem: string): LlmError =>
    new LlmError("FILE_CORRUPT", `${source} is not a valid Hugging Face tokenizer.json: ${problem}.`, {
      input: source,
    });
  const file = json as {
    model?: { type?: string; vocab?: Record<string, number>; merges?: (string | [string, string])[] };
    normalizer?: { type?: string; normalizers?: unknown[] } | null;
    pre_tokenizer?: HfPreTokenizer | null;
    added_tokens?: { id: number; content: string }[];
  };
  if (typeof file !== "object" || file === null || typeof file.model !== "object")
    throw corrupt('no "model" object');
  if ((file as { format?: unknown }).format === "llm-tokenizer") {
    throw new LlmError("FILE_MISMATCH", `${source} is an @llm/tokenizer file, not a Hugging Face one.`, {
      input: source,
      hint: "Use BpeTokenizer.load.",
    });
  }
  if (file.model.type !== "BPE")
    throw unsupported(`model type ${JSON.stringify(file.model.type)} is not BPE`);
  const vocab = file.model.vocab;
  const merges = file.model.merges;
  if (typeof vocab !== "object" || vocab === null || !Array.isArray(merges))
    throw corrupt('"model.vocab" or "model.merges" is missing');

  // Normalizer.
  let normalization: "NFC" | "NFD" | "NFKC" | "NFKD" | undefined;
  const normalizer = file.normalizer;
  if (normalizer) {
    const type = normalizer.type ?? "";
    if (["NFC", "NFD", "NFKC", "NFKD"].includes(type)) normalization = type as "NFC";
    else if (!(type === "Sequence" && (normalizer.normalizers ?? []).length === 0))
      throw unsupported(`normalizer ${type} is not supported`);
  }

  // Pre-tokenizer: find the pre-split regex.
  const steps =
    file.pre_tokenizer?.type === "Sequence"
      ? (file.pre_tokenizer.pretokenizers ?? [])
      : file.pre_tokenizer
        ? [file.pre_tokenizer]
        : [];
  const splits = steps.filter((s) => s.type === "Split");
  const byteLevel = steps.find((s) => s.type === "ByteLevel");
  if (!byteLevel) throw unsupported("the pre-tokenizer has no ByteLevel step");
  if (byteLevel.add_prefix_space) throw unsupported("ByteLevel add_prefix_space is not supported");
  if (steps.length !== splits.length + 1)
    throw unsupported(`pre-tokenizer steps ${steps.map((s) => s.type).join(", ")} are not supported`);
  let pattern: string;
  if (splits.length === 0 && byteLevel.use_regex !== false) {
    pattern = BYTE_LEVEL_PATTERN;
  } else if (splits.length === 1 && byteLevel.use_regex === false) {
    const split = splits[0] as HfPreTokenizer;
    if (split.behavior !== "Isolated" || split.invert || typeof split.pattern?.Regex !== "string") {
      throw unsupported("the Split pre-tokenizer must be an isolated, non-inverted regex");
    }
    pattern = split.pattern.Regex;
    checkPattern(pattern);
  } else {
    throw unsupported(`${splits.length} Split steps (only one can be expressed as a tiktoken pattern)`);
  }

  // Vocabulary: printable byte-level strings back to bytes.
  const decoder = byteLevelDecoder();
  const size = Object.keys(vocab).length;
  const tokens: Uint8Array[] = new Array(size);
  for (const [text, id] of Object.entries(vocab)) {
    if (!Number.isInteger(id) || id < 0 || id >= size || tokens[id] !== undefined)
      throw unsupported(`vocabulary ids are not 0..${size - 1} without gaps`);
    const bytes = new Uint8Array(text.length);
    let n = 0;
    for (const ch of text) {
      const byte = decoder.get(ch);
      if (byte === undefined)
        throw unsupported(
          `token ${JSON.stringify(text)} is not byte-level (character ${JSON.stringify(ch)})`,
        );
      bytes[n++] = byte;
    }
    tokens[id] = bytes.subarray(0, n);
  }

  // Merges: the merged token's id must grow with the merge's rank, so that rank order = id order.
  let previous = -1;
  for (const [i, merge] of merges.entries()) {
    const [left, right] = typeof merge === "string" ? (merge.split(" ") as [string, string]) : merge;
    const id = vocab[`${left}${right}`];
    if (id === undefined)
      throw corrupt(`merge ${i} (${left} ${right}) makes a token that is not in the vocabulary`);
    if (id <= previous)
      throw unsupported(
        `merge ${i} makes id ${id}, below an earlier merge's; tiktoken needs ids in merge order`,
      );
    previous = id;
  }

  const specialTokens = new Map<string, number>();
  for (const added of file.added_tokens ?? []) {
    if (added.id < size) {
      if (vocab[added.content] === added.id) continue;
      throw unsupported(`added token ${added.content} has id ${added.id} inside the ordinary vocabulary`);
    }
    specialTokens.set(added.content, added.id);
  }
  return new BpeTokenizer({
    name,
    pattern,
    tokens,
    specialTokens,
    ...(normalization ? { normalization } : {}),
  });
}
