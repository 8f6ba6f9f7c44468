/**
 * The .tiktoken rank format: one `base64(token bytes) rank` line per ordinary token, as OpenAI
 * publishes cl100k_base.tiktoken. It holds no pattern and no special tokens, so reading one
 * needs them given. Reference: tiktoken `load_tiktoken_bpe`. Leaves out: downloading.
 */
import { readFile } from "node:fs/promises";
import { LlmError, writeFileAtomic } from "@llm/core";
import { decodeBase64Into } from "./base64.js";
import { BpeTokenizer } from "./bpe-tokenizer.js";
import { checkPattern, DEFAULT_PATTERN } from "./pattern.js";

/** Writes `tokenizer`'s ordinary ranks to `path` atomically. */
export async function saveTiktokenFile(tokenizer: BpeTokenizer, path: string): Promise<void> {
  await writeFileAtomic(path, tokenizer.toTiktokenRanks());
}

export interface TiktokenFileOptions {
  /** Name of the tokenizer. Default: the file name. */
  name?: string;
  /** Pre-split pattern. Default: DEFAULT_PATTERN. */
  pattern?: string;
  /** Special tokens (text -> id, ids above the ranks). Default: none. */
  specialTokens?: Record<string, number>;
}

/** Reads a .tiktoken file; ranks must be 0..N-1, each once. */
export async function loadTiktokenFile(
  path: string,
  options: TiktokenFileOptions = {},
): Promise<BpeTokenizer> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    throw new LlmError("FILE_NOT_FOUND", `Rank file ${path} cannot be read.`, {
      input: path,
      hint: "Check the path.",
      cause,
    });
  }
  const tokens: Uint8Array[] = [];
  const lines = text.split("\n");
  const data = new Uint8Array(text.length);
  let at = 0;
  for (const [i, line] of lines.entries()) {
    if (line.length === 0) continue;
    const space = line.indexOf(" ");
    const rankText = line.slice(space + 1);
    const rank = /^\d+$/.test(rankText) ? Number(rankText) : -1;
    const n = space > 0 ? decodeBase64Into(line, 0, space, data, at) : -1;
    if (n <= 0 || rank < 0 || rank >= lines.length || tokens[rank] !== undefined) {
      throw new LlmError(
        "FILE_CORRUPT",
        `Rank file ${path} line ${i + 1} is not "<base64> <rank>" with a new rank.`,
        {
          input: path,
          hint: "Export it again (saveTiktokenFile or llm-tokenizer train --tiktoken).",
        },
      );
    }
    tokens[rank] = data.subarray(at, at + n);
    at += n;
  }
  for (let rank = 0; rank < tokens.length; rank++) {
    if (tokens[rank] === undefined) {
      throw new LlmError("FILE_CORRUPT", `Rank file ${path} has no token with rank ${rank}.`, {
        input: path,
      });
    }
  }
  if (options.pattern !== undefined) checkPattern(options.pattern);
  return new BpeTokenizer({
    name: options.name ?? (path.split("/").pop() ?? path).replace(/\.tiktoken$/, ""),
    pattern: options.pattern ?? DEFAULT_PATTERN,
    tokens,
    specialTokens: options.specialTokens ?? {},
  });
}
