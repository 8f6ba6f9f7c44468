/**
 * ToolCopyGuard: copy-constrained decoding of the string literals in a tool call. While the model
 * is inside an open "..." or '...' string of its code, only tokens that keep the string a
 * substring of the user's messages (case ignored, any whitespace a space), or that close it after
 * such a prefix, keep their logits; the rest are set to -Infinity. The strings of the letter and
 * search calls are copies of the question's chunks (count(" banana", " n"), search(" Ada
 * Lovelace")), and the small models' misses there are copies gone wrong: a loop on a repeated pair
 * (" bananananan..."), a letter doubled (" coffeee"), a word of the training replies instead of
 * the question's. The guard lets none of them through; a copy starts where a word of the question
 * starts (not "eue" of "queue"), and one longer than one letter closes only where a word ends (not
 * " coffe" of " coffee"). Which words are copied, and whether the call is made at all, stay the
 * model's.
 * Reference: constrained (grammar-guided) decoding as in llama.cpp's GBNF grammars and Outlines;
 * here the "grammar" is "a substring of the prompt", checked on each token's text.
 * Leaves out: escapes inside strings, template literals, and tokens that are an incomplete UTF-8
 * sequence (allowed when the source has non-ASCII text, masked otherwise, never matched byte by
 * byte); when the string so far is not in the prompt, or no token would be allowed, the logits are
 * left as they are.
 */
import type { Tokenizer } from "@llm/core";
import { tokenTexts } from "./token-texts.js";

/**
 * Lower case, every whitespace character a space (one for one: a run of spaces the source lacks
 * stays out, else " " repeated would always be a copy).
 */
function normalise(text: string): string {
  return text.toLowerCase().replace(/\s/g, " ");
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * Whether `needle` occurs in `haystack` starting where a word starts (when it starts with a letter
 * or digit) and, with `wordEnd`, ending where a word ends.
 */
function occursAsWords(haystack: string, needle: string, wordEnd: boolean): boolean {
  const checkStart = WORD_CHAR.test(needle[0] ?? " ");
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
    if (checkStart && WORD_CHAR.test(haystack[at - 1] ?? " ")) continue;
    if (wordEnd && WORD_CHAR.test(haystack[at + needle.length] ?? " ")) continue;
    return true;
  }
  return false;
}

/** The open string at the end of `code` (its quote and text so far), or undefined when none is open. */
export function openString(code: string): { quote: string; text: string } | undefined {
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < code.length; i++) {
    const c = code[i] as string;
    if (quote !== undefined) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
      start = i + 1;
    }
  }
  return quote === undefined ? undefined : { quote, text: code.slice(start) };
}

export class ToolCopyGuard {
  /** Each token's text (undefined for an incomplete UTF-8 sequence, judged only by the source). */
  private readonly texts: (string | undefined)[];

  constructor(tokenizer: Tokenizer) {
    this.texts = tokenTexts(tokenizer);
  }

  /**
   * The logits with every token masked that would take the open string of `code` out of
   * `source` (the user's words); the same array when no string is open or nothing is masked.
   * With `calls`, only code that starts with a call of one of those functions is guarded.
   */
  apply(logits: Float32Array, code: string, source: string, calls?: readonly string[]): Float32Array {
    // `calls`: guard only code that starts with a call of one of these functions
    const head = code.trimStart();
    if (calls !== undefined && !calls.some((name) => head.startsWith(`${name}(`))) return logits;
    const open = openString(code);
    if (open === undefined) return logits;
    const haystack = ` ${normalise(source)} `;
    const sofar = normalise(open.text);
    if (!occursAsWords(haystack, sofar, false)) return logits;
    // a piece of a multi-byte character can only be part of a copy when the source has one
    const multiByte = /[^\x00-\x7f]/.test(source);
    const out = new Float32Array(logits.length).fill(Number.NEGATIVE_INFINITY);
    let allowed = 0;
    for (let id = 0; id < logits.length; id++) {
      const text = id < this.texts.length ? this.texts[id] : "";
      if (text === "") continue;
      let ok: boolean;
      if (text === undefined) ok = multiByte;
      else {
        const close = text.indexOf(open.quote);
        const part = normalise(open.text + (close < 0 ? text : text.slice(0, close)));
        // a copy starts where a word of the source starts; one of more than one letter closes
        // only where a word ends
        ok = occursAsWords(haystack, part, close >= 0 && part.trim().length > 1);
      }
      if (ok) {
        out[id] = logits[id] as number;
        allowed++;
      }
    }
    return allowed > 0 ? out : logits;
  }
}
