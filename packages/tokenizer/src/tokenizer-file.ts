/**
 * Our tokenizer.json: a versioned JSON file with everything needed to rebuild a BpeTokenizer.
 *
 *   { "format": "llm-tokenizer", "version": 1, "name": "bpe-4096", "pattern": "...",
 *     "vocabSize": 4096, "tokens": ["AA==", ...],        // base64 bytes of ordinary id i
 *     "merges": [[101, 32], ...],                          // optional: merge i made id 256 + i
 *     "specialTokens": { "<|bos|>": 4087, ... } }
 *
 * Loading checks everything (types, vocabSize, merges against token bytes, special ids) and
 * raises LlmErrors that name the file and the problem. Reference: minbpe's .model files,
 * tiktoken's rank files. Leaves out: reading Hugging Face files (hf-tokenizer.ts).
 */
import { readFile } from "node:fs/promises";
import { LlmError } from "@llm/core";
import { decodeBase64List } from "./base64.js";
import type { BpeTokenizerOptions } from "./bpe-tokenizer.js";
import { checkPattern } from "./pattern.js";

export const TOKENIZER_FORMAT = "llm-tokenizer";
export const TOKENIZER_FORMAT_VERSION = 1;

export interface TokenizerFileV1 {
  format: typeof TOKENIZER_FORMAT;
  version: 1;
  name: string;
  pattern: string;
  vocabSize: number;
  tokens: string[];
  merges?: [number, number][];
  specialTokens: Record<string, number>;
  /** Unicode normalization applied before encoding, if any. */
  normalization?: "NFC" | "NFD" | "NFKC" | "NFKD";
}

export function toTokenizerFile(options: BpeTokenizerOptions & { vocabSize: number }): TokenizerFileV1 {
  const specials =
    options.specialTokens instanceof Map
      ? Object.fromEntries(options.specialTokens)
      : { ...options.specialTokens };
  return {
    format: TOKENIZER_FORMAT,
    version: TOKENIZER_FORMAT_VERSION,
    name: options.name,
    pattern: options.pattern,
    vocabSize: options.vocabSize,
    tokens: options.tokens.map((bytes) => Buffer.from(bytes).toString("base64")),
    ...(options.merges ? { merges: options.merges.map(([l, r]) => [l, r] as [number, number]) } : {}),
    specialTokens: specials as Record<string, number>,
    ...(options.normalization ? { normalization: options.normalization } : {}),
  };
}

/** Reads and validates a tokenizer.json; `path` names the file in errors. */
export async function readTokenizerFile(path: string): Promise<BpeTokenizerOptions> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === "ENOENT";
    throw new LlmError(
      missing ? "FILE_NOT_FOUND" : "FILE_CORRUPT",
      missing ? `Tokenizer file ${path} does not exist.` : `Cannot read tokenizer file ${path}.`,
      {
        input: path,
        hint: missing
          ? "Train one first (llm-tokenizer train) or check the path."
          : "Check the file's permissions.",
        cause,
      },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new LlmError("FILE_CORRUPT", `Tokenizer file ${path} is not valid JSON (truncated or damaged?).`, {
      input: path,
      hint: "Train or save the tokenizer again.",
      cause,
    });
  }
  return parseTokenizerFile(json, path);
}

export function parseTokenizerFile(json: unknown, path: string): BpeTokenizerOptions {
  const corrupt = (problem: string): LlmError =>
    new LlmError("FILE_CORRUPT", `Tokenizer file ${path} is corrupt: ${problem}.`, {
      input: path,
      hint: "Train or save the tokenizer again.",
    });
  if (typeof json !== "object" || json === null || Array.isArray(json))
    throw corrupt("the top level is not an object");
  const file = json as Record<string, unknown>;
  if (file.format !== TOKENIZER_FORMAT) {
    const looksHf = "model" in file && "added_tokens" in file;
    throw new LlmError(
      "FILE_MISMATCH",
      `${path} is not an @llm/tokenizer file (format is ${JSON.stringify(file.format)}).`,
      {
        input: path,
        hint: looksHf
          ? "It looks like a Hugging Face tokenizer.json: use loadHuggingFaceTokenizer."
          : `Expected "format": "${TOKENIZER_FORMAT}".`,
      },
    );
  }
  if (file.version !== TOKENIZER_FORMAT_VERSION) {
    throw new LlmError(
      "UNSUPPORTED_FORMAT",
      `Tokenizer file ${path} has version ${JSON.stringify(file.version)}; this @llm/tokenizer reads version ${TOKENIZER_FORMAT_VERSION}.`,
      {
        input: path,
        hint: "Upgrade @llm/tokenizer, or save the tokenizer again with this version.",
      },
    );
  }
  if (typeof file.name !== "string") throw corrupt('"name" is not a string');
  if (typeof file.pattern !== "string") throw corrupt('"pattern" is not a string');
  try {
    checkPattern(file.pattern);
  } catch (cause) {
    throw new LlmError(
      "FILE_CORRUPT",
      `Tokenizer file ${path} has a pre-split pattern that is not usable: ${(cause as Error).message}`,
      {
        input: path,
        hint: 'Fix "pattern" (tiktoken/fancy-regex syntax), or train the tokenizer again.',
        cause,
      },
    );
  }
  if (!Array.isArray(file.tokens) || file.tokens.some((t) => typeof t !== "string"))
    throw corrupt('"tokens" is not an array of base64 strings');
  const decoded = decodeBase64List(file.tokens as string[]);
  const bad = decoded.findIndex((t) => t === undefined || t.length === 0);
  if (bad >= 0) throw corrupt(`tokens[${bad}] is empty or not valid base64`);
  const tokens = decoded as Uint8Array[];
  if (typeof file.specialTokens !== "object" || file.specialTokens === null)
    throw corrupt('"specialTokens" is not an object');
  const specialTokens = new Map<string, number>();
  let maxId = tokens.length - 1;
  const ids = new Set<number>();
  for (const [text, id] of Object.entries(file.specialTokens as Record<string, unknown>)) {
    if (typeof id !== "number" || !Number.isInteger(id) || id < tokens.length || ids.has(id)) {
      throw corrupt(
        `special token ${text} has id ${JSON.stringify(id)} (must be a distinct integer >= ${tokens.length})`,
      );
    }
    ids.add(id);
    specialTokens.set(text, id);
    maxId = Math.max(maxId, id);
  }
  if (file.vocabSize !== maxId + 1) {
    throw new LlmError(
      "FILE_MISMATCH",
      `Tokenizer file ${path} says vocabSize ${JSON.stringify(file.vocabSize)} but holds ${maxId + 1} ids.`,
      {
        input: path,
        hint: "The file was edited or damaged: train or save the tokenizer again.",
      },
    );
  }
  let merges: [number, number][] | undefined;
  if (file.merges !== undefined) {
    if (!Array.isArray(file.merges) || file.merges.length !== tokens.length - 256)
      throw corrupt(`"merges" must list ${tokens.length - 256} pairs`);
    merges = [];
    for (const [i, pair] of (file.merges as unknown[]).entries()) {
      if (
        !Array.isArray(pair) ||
        pair.length !== 2 ||
        !pair.every((x) => Number.isInteger(x) && x >= 0 && x < 256 + i)
      ) {
        throw corrupt(`merges[${i}] is not a pair of earlier ids`);
      }
      const [l, r] = pair as [number, number];
      const joined = Buffer.concat([tokens[l] as Uint8Array, tokens[r] as Uint8Array]);
      if (!joined.equals(tokens[256 + i] as Uint8Array))
        throw corrupt(`merges[${i}] does not produce the bytes of token ${256 + i}`);
      merges.push([l, r]);
    }
  }
  const normalization = file.normalization;
  if (normalization !== undefined && !["NFC", "NFD", "NFKC", "NFKD"].includes(normalization as string)) {
    throw corrupt(`"normalization" is ${JSON.stringify(normalization)} (expected NFC, NFD, NFKC or NFKD)`);
  }
  return {
    name: file.name,
    pattern: file.pattern,
    tokens,
    specialTokens,
    ...(merges ? { merges } : {}),
    ...(normalization ? { normalization: normalization as "NFC" } : {}),
  };
}
