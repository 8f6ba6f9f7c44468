/**
 * ToolGrammarGuard: grammar-constrained decoding of a tool call's code. Between <|python_start|>
 * and <|python_end|> only tokens that keep the code a prefix of
 *
 *   call := ws* NAME "(" ws* [ arg (ws* "," ws* arg)* ws* ] ")" ws*
 *   arg  := "..." | '...' (backslash escapes, no line break) | "-"? digits ("." digits)?
 *
 * keep their logits, where NAME is one of the tools the engine's sandbox has (`count`, `search`,
 * `Math.max`, ...): no invented function (`Venarch(" Syntax")`, `ololath.max(`), nothing after the
 * call's closing parenthesis (`search(" V Venarch(" V ...")`), and <|python_end|> only once the
 * call is complete, so every call that runs is a well-formed call of a real tool. What the strings
 * and numbers hold, which tool, and whether to call at all stay the model's.
 * Reference: llama.cpp's GBNF grammars and OpenAI function calling (the call must name a declared
 * function), checked here on each token's text with a small hand-written state machine.
 * Leaves out: argument types and counts per tool, template literals, expressions as arguments
 * (`"x".split("")`, `1 + 2`) and method chains. A token that is a piece of a multi-byte character
 * is allowed only inside a string; a special token other than <|python_end|> is masked in code.
 * When the code so far is not a prefix of the grammar, or no token would be allowed, the logits are
 * left as they are.
 */
import type { Tokenizer } from "@llm/core";
import { tokenTexts } from "./token-texts.js";

/** Where the parser is in a call (see the grammar above). */
export type ToolCallPhase =
  | "name" // before "(": the name so far in `name`
  | "open" // after "(" (an argument or ")" may follow)
  | "string" // inside a string literal
  | "number" // inside a number literal
  | "after" // after an argument ("," or ")")
  | "comma" // after "," (an argument must follow)
  | "done"; // after ")"

export interface ToolCallState {
  phase: ToolCallPhase;
  name: string;
  quote: string;
  escaped: boolean;
  /** Number literal so far ("-", "12", "12.", "12.5"). */
  number: string;
}

const SPACE = /[ \t]/;
const DIGIT = /[0-9]/;

/** The state after `ch`, or undefined when `code + ch` is no prefix of a call of `names`. */
function step(s: ToolCallState, ch: string, names: readonly string[]): ToolCallState | undefined {
  switch (s.phase) {
    case "name": {
      if (s.name === "" && SPACE.test(ch)) return s;
      if (ch === "(") return names.includes(s.name) ? { ...s, phase: "open" } : undefined;
      const name = s.name + ch;
      return names.some((n) => n.startsWith(name)) ? { ...s, name } : undefined;
    }
    case "open":
    case "comma":
      if (SPACE.test(ch)) return s;
      if (ch === ")" && s.phase === "open") return { ...s, phase: "done" };
      if (ch === '"' || ch === "'") return { ...s, phase: "string", quote: ch, escaped: false };
      if (ch === "-" || DIGIT.test(ch)) return { ...s, phase: "number", number: ch };
      return undefined;
    case "string":
      if (s.escaped) return ch === "\n" ? undefined : { ...s, escaped: false };
      if (ch === "\\") return { ...s, escaped: true };
      if (ch === "\n") return undefined;
      return ch === s.quote ? { ...s, phase: "after" } : s;
    case "number": {
      const complete = DIGIT.test(s.number.at(-1) ?? "");
      if (DIGIT.test(ch)) return { ...s, number: s.number + ch };
      if (ch === "." && complete && !s.number.includes(".")) return { ...s, number: `${s.number}.` };
      if (!complete) return undefined;
      return step({ ...s, phase: "after", number: "" }, ch, names);
    }
    case "after":
      if (SPACE.test(ch)) return s;
      if (ch === ",") return { ...s, phase: "comma" };
      if (ch === ")") return { ...s, phase: "done" };
      return undefined;
    case "done":
      return SPACE.test(ch) ? s : undefined;
  }
}

/** The parser's state after `code`, or undefined when `code` is no prefix of a call of `names`. */
export function callState(code: string, names: readonly string[]): ToolCallState | undefined {
  let s: ToolCallState | undefined = { phase: "name", name: "", quote: "", escaped: false, number: "" };
  for (const ch of code) {
    s = step(s, ch, names);
    if (s === undefined) return undefined;
  }
  return s;
}

/** Whether `code` is a whole call of one of `names` by the grammar above. */
export function isToolCall(code: string, names: readonly string[]): boolean {
  return callState(code, names)?.phase === "done";
}

export class ToolGrammarGuard {
  /** Each token's text; undefined for special tokens and pieces of multi-byte characters. */
  private readonly texts: (string | undefined)[];
  private readonly special: Set<number>;
  private readonly pythonEnd: number;

  constructor(tokenizer: Tokenizer) {
    this.special = new Set(tokenizer.specialTokens.values());
    this.pythonEnd = tokenizer.specialId("<|python_end|>");
    this.texts = tokenTexts(tokenizer, "none");
  }

  /**
   * The logits with every token masked that would take `code` (the open tool call's code so far)
   * out of the grammar of a call of `names`; <|python_end|> is allowed only after a whole call.
   * The same array when the code so far is already outside the grammar or no token would be left;
   * tokens already masked stay masked.
   */
  apply(logits: Float32Array, code: string, names: readonly string[]): Float32Array {
    const state = callState(code, names);
    if (state === undefined) return logits;
    const out = new Float32Array(logits.length).fill(Number.NEGATIVE_INFINITY);
    let allowed = 0;
    for (let id = 0; id < logits.length; id++) {
      const logit = logits[id] as number;
      if (logit === Number.NEGATIVE_INFINITY) continue;
      const text = id < this.texts.length ? this.texts[id] : "";
      let ok: boolean;
      if (text === undefined) {
        // a special token: only <|python_end|>, after a whole call; a byte piece: only in a string
        ok = this.special.has(id)
          ? id === this.pythonEnd && state.phase === "done"
          : state.phase === "string";
      } else {
        let s: ToolCallState | undefined = state;
        for (const ch of text) {
          s = step(s, ch, names);
          if (s === undefined) break;
        }
        ok = s !== undefined && text !== "";
      }
      if (ok) {
        out[id] = logit;
        allowed++;
      }
    }
    return allowed > 0 ? out : logits;
  }
}
