/**
 * ToolLoopGuard: a repetition block for what a chat model writes, made for the loops of small
 * models' tool calls. A token is masked (logit -Infinity) when it would make the code of a tool
 * call end in one piece of 1 to `maxPeriod` characters repeated back to back more than `maxRepeats`
 * times (" V V V", "nanana", `earch("earch("earch(`, "100000100000100000"), or one character
 * that is no letter more than `maxOtherRepeats` times ("0000000", a run of spaces; "####" and
 * "..." stay); inside an open "..." or
 * '...' string of the code, once the string holds `maxStringChars` characters only tokens that
 * close it keep their logits; and with scope "turn" the same repeat rule holds for the reply's
 * text ("I don't know anything about W W W W ..."). The small models' failed searches are such
 * loops (`search(" V V V V ...")` for "What is the capital of France?"), which run to the end of
 * the turn and give the user nothing but the loop; masked, the string closes, the call runs and
 * the model answers from what it found (for a garbled query: nothing, "I don't know"). Unlike
 * ToolCopyGuard it does not ask a string to be a copy of the user's words: which words the model
 * searches for (right or wrong) stay its own.
 * Reference: no-repeat n-gram blocking (Paulus et al. 2017; `no_repeat_ngram_size` of Hugging Face
 * generate), here on characters and only for pieces repeated back to back; the closing at a length
 * limit is constrained decoding (llama.cpp grammars) with a bounded string.
 * Leaves out: repeats longer than `maxPeriod` or with something between them ("sailnar 1 is a
 * sailnar 2"), escapes inside strings, template literals. A token that is no text (a special
 * token, or a piece of a multi-byte character) adds nothing to the repeats; a piece of a multi-byte
 * character is masked once the text holds an undecodable byte before its last character (a run of
 * stray bytes, never a well-formed character); inside a string a special token is masked (it would
 * end the call or the turn with the string open), and so is a piece of a multi-byte character at
 * the length limit. When no token would be allowed the logits are left as they are.
 */
import type { Tokenizer } from "@llm/core";
import { tokenTexts } from "./token-texts.js";
import { openString } from "./tool-copy-guard.js";

/** Limits of ToolLoopGuard (in characters, case ignored). */
export interface ToolLoopGuardOptions {
  /** Longest string literal in a tool call; at this length only tokens that close it are allowed. Default 40. */
  maxStringChars?: number;
  /** Most times a piece may repeat back to back (" V V" is " V" twice). Default 2. */
  maxRepeats?: number;
  /** Most times one character that is no letter (a digit, space, "#") may repeat back to back. Default 5. */
  maxOtherRepeats?: number;
  /** Longest repeating piece checked. Default 32. */
  maxPeriod?: number;
  /** "tool": tool-call code only; "turn": the reply's text too. Default "turn". */
  scope?: "tool" | "turn";
}

/** The defaults of ToolLoopGuardOptions. */
export const LOOP_GUARD_DEFAULTS: Required<ToolLoopGuardOptions> = {
  maxStringChars: 40,
  maxRepeats: 2,
  maxOtherRepeats: 5,
  maxPeriod: 32,
  scope: "turn",
};

const LETTER = /\p{L}/u;

/**
 * Whether `text` has, ending at a position after `from`, a piece of 1 to `maxPeriod` characters
 * repeated back to back more than `maxRepeats` times, or one character that is no letter more
 * than `maxOtherRepeats` times (default: maxRepeats).
 */
export function repeatsPast(
  text: string,
  from: number,
  maxRepeats: number,
  maxPeriod: number,
  maxOtherRepeats = maxRepeats,
): boolean {
  const fewest = Math.min(maxRepeats, maxOtherRepeats) + 1;
  for (let end = Math.max(from + 1, 1); end <= text.length; end++) {
    for (let period = 1; period <= maxPeriod && period * fewest <= end; period++) {
      const piece = text.slice(end - period, end);
      const times = (period === 1 && !LETTER.test(piece) ? maxOtherRepeats : maxRepeats) + 1;
      const start = end - period * times;
      if (start < 0) continue;
      let periodic = true;
      for (let i = start; i + period < end; i++) {
        if (text[i] !== text[i + period]) {
          periodic = false;
          break;
        }
      }
      if (periodic) return true;
    }
  }
  return false;
}

/**
 * repeatsPast for many candidate pieces after one text: for each period p, how many characters at
 * the end of the text already equal the character p before them (runs[p]), extended by each
 * piece's characters; periods whose run cannot reach the limit within a piece are skipped, so a
 * short piece after a text without repeats costs a few comparisons.
 */
class RepeatRuns {
  /** runs[p]: trailing characters i of the text with text[i] === text[i - p]. */
  private readonly runs: Int32Array;
  /** Periods worth checking for a piece of each length. */
  private readonly live = new Map<number, number[]>();

  constructor(
    private readonly text: string,
    private readonly maxRepeats: number,
    private readonly maxPeriod: number,
    private readonly maxOtherRepeats: number,
  ) {
    this.runs = new Int32Array(maxPeriod + 1);
    for (let p = 1; p <= maxPeriod; p++) {
      let r = 0;
      for (let i = text.length - 1; i - p >= 0 && text[i] === text[i - p]; i--) r++;
      this.runs[p] = r;
    }
  }

  /** The fewest matching characters in a row that make period p a repeat past the limits. */
  private need(p: number): number {
    return (p === 1 ? Math.min(this.maxRepeats, this.maxOtherRepeats) : this.maxRepeats) * p;
  }

  private periods(length: number): number[] {
    let list = this.live.get(length);
    if (list === undefined) {
      list = [];
      for (let p = 1; p <= this.maxPeriod; p++)
        if ((this.runs[p] as number) + length >= this.need(p)) list.push(p);
      this.live.set(length, list);
    }
    return list;
  }

  /** Whether text + piece has a repeat past the limits that ends inside the piece. */
  repeatsWith(piece: string): boolean {
    const { text } = this;
    const n = text.length;
    const length = piece.length;
    for (const p of this.periods(length)) {
      const need = this.need(p);
      let r = this.runs[p] as number;
      for (let j = 0; j < length; j++) {
        const at = n + j - p;
        const before = at < 0 ? undefined : at < n ? text[at] : piece[at - n];
        if (piece[j] !== before) {
          if (length - 1 - j < need) break;
          r = 0;
          continue;
        }
        r++;
        if (r < need) continue;
        const c = piece[j] as string;
        const times = (p === 1 && !LETTER.test(c) ? this.maxOtherRepeats : this.maxRepeats) + 1;
        if (r >= (times - 1) * p) return true;
      }
    }
    return false;
  }
}

export class ToolLoopGuard {
  /** Each token's text in lower case; undefined for special tokens and pieces of multi-byte characters. */
  private readonly texts: (string | undefined)[];
  /** The special tokens' ids. */
  private readonly special: Set<number>;

  constructor(tokenizer: Tokenizer) {
    this.special = new Set(tokenizer.specialTokens.values());
    this.texts = tokenTexts(tokenizer, "none").map((text) => text?.toLowerCase());
  }

  /**
   * The logits with every token masked that would repeat a piece of `text` too often: `text` is
   * the code of an open tool call (`inCode`; then an open string is also held to the length limit)
   * or the reply's text since the last tool call. The same array when nothing is masked or no
   * token would be left; tokens already masked (-Infinity, e.g. by ToolCopyGuard) stay masked.
   */
  apply(
    logits: Float32Array,
    text: string,
    inCode: boolean,
    limits: ToolLoopGuardOptions = {},
  ): Float32Array {
    const { maxStringChars, maxRepeats, maxOtherRepeats, maxPeriod, scope } = {
      ...LOOP_GUARD_DEFAULTS,
      ...limits,
    };
    if (!inCode && scope !== "turn") return logits;
    const open = inCode ? openString(text) : undefined;
    const room = open === undefined ? Number.POSITIVE_INFINITY : maxStringChars - open.text.length;
    const window = maxPeriod * (Math.max(maxRepeats, maxOtherRepeats) + 1);
    const runs = new RepeatRuns(text.slice(-window).toLowerCase(), maxRepeats, maxPeriod, maxOtherRepeats);
    // stray bytes: an undecodable byte before the last character belongs to no well-formed character
    const strayBytes = text.slice(0, -1).includes("\uFFFD");
    const out = new Float32Array(logits.length).fill(Number.NEGATIVE_INFINITY);
    let allowed = 0;
    let masked = 0;
    for (let id = 0; id < logits.length; id++) {
      const logit = logits[id] as number;
      if (logit === Number.NEGATIVE_INFINITY) continue;
      const piece = id < this.texts.length ? this.texts[id] : "";
      let ok: boolean;
      // inside a string a special token (<|python_end|>, <|assistant_end|>) would leave it open
      if (piece === undefined) ok = this.special.has(id) ? open === undefined : room > 0 && !strayBytes;
      else {
        const close = open === undefined ? -1 : piece.indexOf(open.quote);
        ok = (close >= 0 ? close <= room : piece.length <= room) && !runs.repeatsWith(piece);
      }
      if (ok) {
        out[id] = logit;
        allowed++;
      } else masked++;
    }
    return allowed > 0 && masked > 0 ? out : logits;
  }
}
