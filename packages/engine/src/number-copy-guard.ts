/**
 * NumberCopyGuard: copy-constrained decoding of numbers, in two places. (1) The number literals of
 * a tool call such as `Math.max(9.11, 9.9)`: each must be a copy, digit for digit, of a number of
 * the user's messages, and a different one from the call's earlier literals while the question
 * has numbers not yet used. (2) The number of the "####" answer line after a tool output: a copy
 * of a number of the last output (or of the user's number of the same value, "3.20" for an output
 * "3.2"). The decimal misses this catches are copies gone wrong where the two numbers share their
 * first digits (`Math.max(15.15, 15.09)` for 15.1 vs 15.09, `Math.max(9.11, 9.11)`) and a result
 * read back wrong (`13.88` -> "#### 13.8"). Which numbers are copied, which function is called and
 * whether a call is made stay the model's; only digit runs are judged, every other token keeps its
 * logit unless it would end a run that is no copy.
 * Reference: constrained decoding as in llama.cpp's GBNF grammars and Outlines, with "a number of
 * the question" (or of the tool's output) as the grammar; ToolCopyGuard does the same for strings.
 * Leaves out: signs, exponents, thousands separators and numbers written as words; when the text
 * so far already holds a number that is no copy, or no token would be allowed, the logits are left
 * as they are.
 */
import type { Tokenizer } from "@llm/core";
import { tokenTexts } from "./token-texts.js";

/** A run of digits and points with at least one digit ("9.11", "9.9." at a sentence's end). */
const RUN = /[\d.]*\d[\d.]*/g;

/** The numbers of `text` as written, without a point that ends a sentence ("9.9." -> "9.9"). */
export function numbersIn(text: string): string[] {
  return (text.match(RUN) ?? []).map((n) => n.replace(/\.+$/, ""));
}

/**
 * Whether every digit run of `text` is a copy: a finished run one of `allowed`, the last run,
 * still being written at the end of `text`, a start of one. With `distinct` (code), a run must
 * differ from the earlier runs while some allowed number is unused, and a point after a number is
 * part of it; without (prose), a point after a whole number may end the sentence.
 */
export function runsAreCopies(text: string, allowed: readonly string[], distinct: boolean): boolean {
  const used: string[] = [];
  for (const match of text.matchAll(RUN)) {
    const run = match[0];
    const unused = distinct ? allowed.filter((n) => !used.includes(n)) : allowed;
    const open = unused.length > 0 ? unused : allowed;
    if (match.index + run.length === text.length) {
      // still being written: the start of a number, or a whole one with the sentence's point
      return (
        open.some((n) => n.startsWith(run)) ||
        (!distinct && run.endsWith(".") && open.includes(run.slice(0, -1)))
      );
    }
    const number = distinct ? run : run.replace(/\.$/, "");
    if (!open.includes(number)) return false;
    used.push(number);
  }
  return true;
}

/** The text after the "####" of the answer line being written, or undefined when none is open. */
export function openAnswer(text: string): string | undefined {
  const at = text.lastIndexOf("####");
  if (at < 0) return undefined;
  const rest = text.slice(at + 4);
  return rest.includes("\n") ? undefined : rest;
}

export class NumberCopyGuard {
  /** Each token's text ("" for an incomplete UTF-8 sequence: it holds no digit). */
  private readonly texts: string[];

  constructor(tokenizer: Tokenizer) {
    this.texts = tokenTexts(tokenizer).map((text) => text ?? "\uFFFD");
  }

  /**
   * The logits with every token masked that would make a number of `region` no copy of
   * `allowed`; the same array when nothing is masked, when `region` is already off, or when every
   * token would be.
   */
  private mask(
    logits: Float32Array,
    region: string,
    allowed: readonly string[],
    distinct: boolean,
  ): Float32Array {
    if (allowed.length === 0 || !runsAreCopies(region, allowed, distinct)) return logits;
    const out = new Float32Array(logits.length).fill(Number.NEGATIVE_INFINITY);
    let allowedTokens = 0;
    let masked = 0;
    for (let id = 0; id < logits.length; id++) {
      const text = id < this.texts.length ? (this.texts[id] as string) : "";
      if (text === "" || runsAreCopies(region + text, allowed, distinct)) {
        out[id] = logits[id] as number;
        allowedTokens++;
      } else masked++;
    }
    return allowedTokens > 0 && masked > 0 ? out : logits;
  }

  /**
   * Guards the number literals of a tool call: in `code` that starts with a call of one of `calls`
   * (e.g. ["Math.max", "Math.min"]), each literal after the call's "(" must be a copy of a number
   * of `source` (the user's words), each a different one while there are enough.
   */
  applyToCall(logits: Float32Array, code: string, source: string, calls: readonly string[]): Float32Array {
    const head = code.trimStart();
    const name = calls.find((c) => head.startsWith(`${c}(`));
    if (name === undefined) return logits;
    const region = head.slice(name.length + 1);
    return this.mask(logits, region, [...new Set(numbersIn(source))], true);
  }

  /**
   * Guards the number of the "####" answer line being written in `text` (the reply since the last
   * tool output): a copy of a number of `output`, or of a number of `source` whose value is one
   * of them.
   */
  applyToAnswer(logits: Float32Array, text: string, output: string, source: string): Float32Array {
    const region = openAnswer(text);
    if (region === undefined) return logits;
    const results = numbersIn(output);
    const values = results.map(Number);
    const same = numbersIn(source).filter((n) => values.includes(Number(n)));
    return this.mask(logits, region, [...new Set([...results, ...same])], false);
  }
}
