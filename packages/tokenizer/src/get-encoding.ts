/**
 * getEncoding: OpenAI's gpt2, cl100k_base and o200k_base vocabularies as BpeTokenizers, read
 * from the rank files the `tiktoken` npm package ships (no network). Each is built once per
 * process and cached, so its WASM encoder is shared. Reference: tiktoken `get_encoding`.
 * Leaves out: r50k/p50k (older, rarely useful here).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { LlmError } from "@llm/core";
import { decodeBase64Into } from "./base64.js";
import { BpeTokenizer } from "./bpe-tokenizer.js";

export const ENCODING_NAMES = ["gpt2", "cl100k_base", "o200k_base"] as const;
export type EncodingName = (typeof ENCODING_NAMES)[number];

const cache = new Map<EncodingName, BpeTokenizer>();

interface TiktokenEncoderJson {
  pat_str: string;
  special_tokens: Record<string, number>;
  bpe_ranks: string;
}

/** Parses tiktoken's compact rank text ("! <first rank> <b64> <b64> ..." lines). */
export function parseCompactRanks(ranks: string): Uint8Array[] {
  const tokens: Uint8Array[] = [];
  const data = new Uint8Array(ranks.length);
  let at = 0;
  for (const line of ranks.split("\n")) {
    if (line.length === 0) continue;
    const header = /^! (\d+) /.exec(line);
    if (header === null || Number(header[1]) !== tokens.length) {
      throw new LlmError("FILE_CORRUPT", "tiktoken's rank data is not in the expected contiguous format.", {
        input: line.slice(0, 40),
      });
    }
    let from = header[0].length;
    while (from < line.length) {
      let to = line.indexOf(" ", from);
      if (to < 0) to = line.length;
      const n = decodeBase64Into(line, from, to, data, at);
      if (n <= 0) {
        throw new LlmError("FILE_CORRUPT", "tiktoken's rank data holds invalid base64.", {
          input: line.slice(from, to),
        });
      }
      tokens.push(data.subarray(at, at + n));
      at += n;
      from = to + 1;
    }
  }
  return tokens;
}

/** gpt2, cl100k_base or o200k_base, built on first use and cached. */
export function getEncoding(name: EncodingName): BpeTokenizer {
  const cached = cache.get(name);
  if (cached) return cached;
  if (!ENCODING_NAMES.includes(name)) {
    throw new LlmError("INVALID_ARGUMENT", `Unknown encoding ${JSON.stringify(name)}.`, {
      input: String(name),
      hint: `Use one of ${ENCODING_NAMES.join(", ")}.`,
    });
  }
  const require = createRequire(import.meta.url);
  const file = require.resolve(`tiktoken/encoders/${name}.json`);
  const json = JSON.parse(readFileSync(file, "utf8")) as TiktokenEncoderJson;
  const tokenizer = new BpeTokenizer({
    name,
    pattern: json.pat_str,
    tokens: parseCompactRanks(json.bpe_ranks),
    specialTokens: json.special_tokens,
    tiktokenRanks: json.bpe_ranks,
  });
  cache.set(name, tokenizer);
  return tokenizer;
}
