/**
 * tokens-not-words probe: a model sees tokens, not words or letters. Shows how "strawberry",
 * "9.11 and 9.9", 我刚才吃了西瓜籽 and any user text split under our tokenizer and reference
 * tokenizers (gpt2, cl100k_base, o200k_base, deepseek_v3 and qwen3 by default, all offline
 * through @llm/tokenizer's compareTokenizers), with token counts and pieces.
 * Inputs: `inputs["tokens-not-words"]`: { texts?: string[] } added to DEFAULT_TOKEN_TEXTS; our
 * tokenizer is context.tokenizer (optional). A piece that is not valid UTF-8 on its own (part of a
 * Chinese character) is shown as its bytes in hex, e.g. <e8 a5>.
 * Reference: tiktoken, the Tiktokenizer web app. Leaves out: timing (see @llm/tokenizer's bench).
 */
import type { Probe, ProbeContext, ProbeResult } from "@llm/core";
import { compareTokenizers } from "@llm/tokenizer";
import { quote } from "../format.js";
import { asStrings, inputOf, notRunnable } from "../probe-helpers.js";
import type { ChartSpec } from "../report/report-section.js";

/** The least a tokenizer must offer to be compared. */
export interface TokenCounter {
  readonly name: string;
  encode(text: string): number[];
  tokenBytes?(id: number): Uint8Array;
  decode?(ids: readonly number[]): string;
}

export const DEFAULT_TOKEN_TEXTS: readonly string[] = ["strawberry", "9.11 and 9.9", "我刚才吃了西瓜籽"];

/** Reference tokenizers @llm/tokenizer loads offline by name. */
export const REFERENCE_TOKENIZERS = ["gpt2", "cl100k_base", "o200k_base", "deepseek_v3", "qwen3"] as const;
export type ReferenceTokenizerName = (typeof REFERENCE_TOKENIZERS)[number];

export interface TokensNotWordsOptions {
  /** Reference tokenizers: names @llm/tokenizer loads, or tokenizers. Default: REFERENCE_TOKENIZERS. */
  references?: Array<TokenCounter | ReferenceTokenizerName>;
}

export interface TokenSplit {
  tokenizer: string;
  text: string;
  ids: number[];
  pieces: string[];
}

const strictDecoder = new TextDecoder("utf-8", { fatal: true });

/** One token as readable text, or its bytes in hex when they are not valid UTF-8 alone. */
export function tokenPiece(tokenizer: TokenCounter, id: number): string {
  if (tokenizer.tokenBytes) {
    const bytes = tokenizer.tokenBytes(id);
    try {
      return strictDecoder.decode(bytes);
    } catch {
      return `<${[...bytes].map((b) => b.toString(16).padStart(2, "0")).join(" ")}>`;
    }
  }
  return tokenizer.decode ? tokenizer.decode([id]) : String(id);
}

export function splitText(tokenizer: TokenCounter, text: string): TokenSplit {
  const ids = tokenizer.encode(text);
  return { tokenizer: tokenizer.name, text, ids, pieces: ids.map((id) => tokenPiece(tokenizer, id)) };
}

/** Splits `text` under a named reference tokenizer (loaded once by @llm/tokenizer). */
async function splitNamed(name: ReferenceTokenizerName, text: string): Promise<TokenSplit> {
  const { views } = await compareTokenizers(text, [name]);
  const view = views[0]!;
  // A label differs from its piece when the token is part of a character: show its bytes.
  const pieces = view.labels.map((label, i) => (label === view.pieces[i] ? label : `<${label}>`));
  return { tokenizer: view.name, text, ids: view.ids, pieces };
}

export function tokensNotWordsProbe(options: TokensNotWordsOptions = {}): Probe {
  const name = "tokens-not-words";
  return {
    name,
    title: "Tokens, not words",
    claim:
      "A model sees text as tokens: chunks of characters whose letters and digits it never sees one by one.",
    async run(context: ProbeContext): Promise<ProbeResult> {
      const given = inputOf(context, name) as { texts?: unknown } | undefined;
      const extra = given?.texts === undefined ? [] : asStrings(given.texts, "tokens-not-words.texts");
      const texts = [...new Set([...DEFAULT_TOKEN_TEXTS, ...extra])];
      const references = options.references ?? [...REFERENCE_TOKENIZERS];
      const tokenizers = [...(context.tokenizer ? [context.tokenizer] : []), ...references];
      if (tokenizers.length === 0)
        notRunnable(name, "there is no tokenizer to show.", "Give context.tokenizer or options.references.");
      const splits: TokenSplit[] = [];
      const metrics: Record<string, number> = {};
      const chart: ChartSpec = { type: "bar", yLabel: "tokens", series: [] };
      for (const tokenizer of tokenizers) {
        const series = {
          name: typeof tokenizer === "string" ? tokenizer : tokenizer.name,
          data: [] as Array<{ x: string; y: number }>,
        };
        for (const text of texts) {
          const split =
            typeof tokenizer === "string" ? await splitNamed(tokenizer, text) : splitText(tokenizer, text);
          splits.push(split);
          series.name = split.tokenizer;
          metrics[`${split.tokenizer}/${text}`] = split.ids.length;
          series.data.push({ x: text, y: split.ids.length });
        }
        chart.series.push(series);
      }
      return {
        name,
        title: this.title,
        metrics,
        examples: [],
        finding: tokensNotWordsFinding(splits, context.tokenizer?.name),
        details: { chart, splits, texts },
      };
    },
  };
}

function range(counts: readonly number[]): string {
  const lo = Math.min(...counts);
  const hi = Math.max(...counts);
  return lo === hi ? `${lo}` : `${lo}-${hi}`;
}

/** The finding sentence, from the splits: the first text under our tokenizer, then ranges. */
export function tokensNotWordsFinding(splits: readonly TokenSplit[], ours?: string): string {
  const first = splits[0];
  if (!first) return "No text was tokenized.";
  const main =
    splits.find((s) => s.tokenizer === (ours ?? first.tokenizer) && s.text === first.text) ?? first;
  const chars = [...main.text].length;
  const who =
    ours !== undefined && main.tokenizer === ours ? `our tokenizer (${main.tokenizer})` : main.tokenizer;
  const count = main.ids.length;
  let sentence = `Under ${who}, ${quote(main.text)} is ${count} token${count === 1 ? "" : "s"} (${main.pieces.join("|")}) for its ${chars} characters`;
  const others = splits.filter((s) => s.text === main.text && s.tokenizer !== main.tokenizer);
  if (others.length > 0) {
    sentence +=
      others.length === 1
        ? `; ${others[0]!.tokenizer} uses ${others[0]!.ids.length}`
        : `; the other ${others.length} tokenizers use ${range(others.map((s) => s.ids.length))}`;
  }
  const texts = [...new Set(splits.map((s) => s.text))].filter((t) => t !== main.text);
  if (texts.length > 0) {
    const parts = texts.map((t) => {
      const counts = splits.filter((s) => s.text === t).map((s) => s.ids.length);
      return `${quote(t)} takes ${range(counts)} tokens for ${[...t].length} characters`;
    });
    sentence += `; across tokenizers ${parts.join(", ")}`;
  }
  return `${sentence}.`;
}
