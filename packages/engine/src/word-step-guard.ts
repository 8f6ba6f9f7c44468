/**
 * WordStepGuard: copy-constrained decoding of word-counting steps. Once a reply has begun as a
 * list of steps, a word and its running number (" the 1 cat 2 ..."), every further word of that
 * list can only be a copy of a word of the user's messages: tokens that would make a step word
 * no such copy (a multi-token word looping, " egggg", a word the question lacks, punctuation glued
 * to it) have their logits set to -Infinity. Two modes:
 * - "word": each step word is some word of the user's messages;
 * - "run": the step words, in order, are a contiguous run of the user's words (the next step word
 *   is the word that follows the previous one's place in the text, any of its places while the
 *   words so far fit more than one). This is the word-level form of ToolCopyGuard's "a substring
 *   of the prompt": it reads nothing but the user's text, and where the run starts, where it
 *   stops, every number and the answer stay the model's.
 * A step is a word and its number: the numbers (runs of digits) are free, but a number cannot
 * follow a number (" sea 6 7 8" is no step). The end of the steps (a newline or "#") and
 * <|assistant_end|> are never masked; the other special tokens are (they are no step, and a
 * model whose copy is masked falls into them). The guard starts only after the reply's first word
 * and a " 1" (so that no other answer is touched) and does nothing when that first word is not a
 * word of the question.
 * Reference: constrained (grammar-guided) decoding as in llama.cpp's GBNF grammars and Outlines,
 * with "a copy of the question's words" as the grammar; ToolCopyGuard (tool-copy-guard.ts).
 * Leaves out: digits as words (a run of digits is always a step's number and the text's own
 * numbers are skipped), the first step word (unguarded: the reply is not yet known to be steps),
 * replies after a tool call, and tokens that are an incomplete UTF-8 sequence (allowed only when
 * the question has non-ASCII text).
 */
import type { Tokenizer } from "@llm/core";
import { tokenTexts } from "./token-texts.js";

/** "word": each step word is a word of the question; "run": the step words are a contiguous run of them. */
export type WordStepGuardMode = "word" | "run";

/** The question's words, lower case: runs of letters and digits, with inner apostrophes ("i'm"). */
export function questionWords(source: string): string[] {
  const words = source.toLowerCase().match(/[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*/gu) ?? [];
  return words.filter((w) => !/^\p{N}+$/u.test(w));
}

/** Where a parse of the steps stands: the places the words so far fit, and the item being written. */
interface StepState {
  /** Indexes into the question's words of the last complete step word (run mode); undefined before the first. */
  places: number[] | undefined;
  /** The item being written (a partial word or number), lower case. */
  item: string;
  /** Complete items so far (words and numbers). */
  items: string[];
  /** The last complete item was a number. */
  afterNumber: boolean;
  /** The steps have ended (a newline or "#"): nothing more is guarded. */
  ended: boolean;
  /** Characters read. */
  read: number;
}

const DIGITS = /^\p{N}+$/u;

export class WordStepGuard {
  /** Each token's text (undefined for an incomplete UTF-8 sequence, "" for a special token). */
  private readonly texts: (string | undefined)[];
  /** <|assistant_end|>: the model may always end its turn. */
  private readonly end: number | undefined;

  constructor(tokenizer: Tokenizer) {
    this.end = tokenizer.specialTokens.get("<|assistant_end|>");
    this.texts = tokenTexts(tokenizer, "empty");
  }

  /**
   * The logits with every token masked that would make a step word of `reply` (the assistant's
   * text so far) no copy of `source`'s words; the same array when the reply is not (yet) steps,
   * its first word is not a word of the question, the steps have ended, or nothing is masked.
   */
  apply(logits: Float32Array, reply: string, source: string, mode: WordStepGuardMode): Float32Array {
    const words = questionWords(source);
    if (words.length === 0) return logits;
    const state = this.read(this.start(), reply, words, mode);
    // guard only a reply that is steps: its first word a copy, then " 1" (written or being written)
    if (state === undefined || state.ended) return logits;
    const first = state.items[0];
    const second = state.items[1] ?? (state.items.length === 1 ? state.item : undefined);
    if (first === undefined || DIGITS.test(first) || second !== "1") return logits;
    const multiByte = /[^\x00-\x7f]/.test(source);
    const out = new Float32Array(logits.length).fill(Number.NEGATIVE_INFINITY);
    let allowed = 0;
    let masked = 0;
    for (let id = 0; id < logits.length; id++) {
      const text = id < this.texts.length ? this.texts[id] : "";
      const ok =
        id === this.end ||
        (text === undefined
          ? multiByte
          : text === ""
            ? false
            : this.read({ ...state, items: [] }, text, words, mode) !== undefined);
      if (ok) {
        out[id] = logits[id] as number;
        allowed++;
      } else if (logits[id] !== Number.NEGATIVE_INFINITY) masked++;
    }
    return allowed > 0 && masked > 0 ? out : logits;
  }

  private start(): StepState {
    return { places: undefined, item: "", items: [], afterNumber: false, ended: false, read: 0 };
  }

  /** The state after reading `text`, or undefined when it makes a step word no copy. */
  private read(from: StepState, text: string, words: readonly string[], mode: WordStepGuardMode) {
    let places = from.places;
    let item = from.item;
    let read = from.read;
    let afterNumber = from.afterNumber;
    const items = [...from.items];
    // where the next word may be: after a place of the last word (run), anywhere (word, or first)
    const next = (): number[] =>
      mode === "run" && places !== undefined
        ? places.map((p) => p + 1).filter((p) => p < words.length)
        : words.map((_, i) => i);
    const finish = (): boolean => {
      if (item === "") return read === 0; // only the reply's leading space may be empty
      if (DIGITS.test(item)) {
        if (afterNumber) return false; // a step is a word and its number
        afterNumber = true;
      } else {
        afterNumber = false;
        const fit = next().filter((p) => words[p] === item);
        if (fit.length === 0) return false;
        places = fit;
      }
      items.push(item);
      item = "";
      return true;
    };
    for (const raw of text) {
      const ch = raw.toLowerCase();
      if (ch === "\n" || ch === "#") {
        // the steps end here: the last item must be complete
        if (item !== "" && !finish()) return undefined;
        return { places, item: "", items, afterNumber, ended: true, read: read + 1 };
      }
      if (ch === " ") {
        if (!finish()) return undefined;
      } else {
        item += ch;
        if (DIGITS.test(item)) {
          if (afterNumber) return undefined; // no number right after a number
        } else if (/\p{N}/u.test(item)) {
          return undefined; // digits glued to a word
        } else if (!next().some((p) => words[p]?.startsWith(item))) {
          return undefined;
        }
      }
      read++;
    }
    return { places, item, items, afterNumber, ended: false, read };
  }
}
