/**
 * compareTokenizers: how different tokenizers cut the same text, as data for the renderers:
 * per tokenizer the ids, the text of each token and bytes per token; for Chinese text also the
 * jieba word segmentation. Reference: Tiktokenizer (the web app), nanochat's tok_eval.
 * Leaves out: drawing (render-terminal.ts, render-html.ts).
 */
import type { Tokenizer } from "@llm/core";
import { type ComparisonTokenizerName, loadComparisonTokenizer } from "./comparison-tokenizers.js";
import { hasChinese, segmentChinese } from "./segment-chinese.js";

export interface TokenizerView {
  name: string;
  ids: number[];
  /** Text of each token; a token holding part of a character shows U+FFFD. */
  pieces: string[];
  /** What to draw for each token: its text, or its bytes in hex ("e5 88") when it is part of a character. */
  labels: string[];
  /** UTF-8 bytes of the text divided by the number of tokens. */
  bytesPerToken: number;
}

export interface Comparison {
  text: string;
  views: TokenizerView[];
  /** jieba words, when the text contains Chinese. */
  words?: string[];
}

const decoder = new TextDecoder("utf-8", { fatal: false });
const strict = new TextDecoder("utf-8", { fatal: true });

function labelOf(bytes: Uint8Array): string {
  try {
    return strict.decode(bytes);
  } catch {
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");
  }
}

/** The view of one tokenizer on `text`. */
export function viewOf(tokenizer: Tokenizer, text: string): TokenizerView {
  const ids = tokenizer.encode(text);
  const bytes = ids.map((id) => tokenizer.tokenBytes(id));
  const pieces = bytes.map((b) => decoder.decode(b));
  const labels = bytes.map(labelOf);
  return {
    name: tokenizer.name,
    ids,
    pieces,
    labels,
    bytesPerToken: ids.length === 0 ? 0 : Buffer.byteLength(text) / ids.length,
  };
}

/**
 * Encodes `text` with each tokenizer: a name from COMPARISON_TOKENIZERS (loaded offline) or any
 * Tokenizer, such as one trained with trainBpe.
 */
export async function compareTokenizers(
  text: string,
  tokenizers: readonly (ComparisonTokenizerName | Tokenizer)[],
): Promise<Comparison> {
  const views: TokenizerView[] = [];
  for (const entry of tokenizers) {
    const tokenizer = typeof entry === "string" ? await loadComparisonTokenizer(entry) : entry;
    views.push(viewOf(tokenizer, text));
  }
  return { text, views, ...(hasChinese(text) ? { words: await segmentChinese(text) } : {}) };
}
