/**
 * Pre-split patterns: the regular expressions that cut text into chunks before BPE runs, so a
 * merge never crosses a word, number or punctuation boundary. The default is GPT-4's cl100k
 * pattern with numbers grouped in runs of at most two digits, as nanochat does (a small
 * vocabulary wastes fewer ids on three-digit numbers). Reference: tiktoken openai_public.py,
 * nanochat tokenizer.py.
 *
 * Patterns are stored in the syntax of tiktoken's engine (Rust fancy-regex), which has inline
 * case-insensitive groups `(?i:...)` and possessive quantifiers `?+`, `++`, `*+`. Node 20's
 * RegExp has neither, so `toJsRegExp` rewrites them: a case-insensitive group becomes explicit
 * case classes for ASCII letters, and a possessive quantifier becomes a greedy one. The latter
 * is exact for the GPT-2/GPT-4/o200k patterns (the quantified class never overlaps what follows);
 * it leaves out a general possessive emulation. The classes `\s \S \d \D \p{L} \p{N} \p{M}` (and
 * `\p{Lu}`-style letter categories) become explicit code point lists from tiktoken's own tables
 * (unicode-classes.ts), since JS's differ (JS `\s` has U+FEFF and lacks U+0085; `\p{L}` follows
 * Node's ICU); other `\p{..}` classes keep JS's meaning.
 */
import { LlmError } from "@llm/core";
import {
  caseFolds,
  classRanges,
  complementRanges,
  isUnicodeClassName,
  type Ranges,
  rangesToClassBody,
} from "./unicode-tables.js";

/** GPT-4 (cl100k_base) pre-split pattern, as in tiktoken: numbers in runs of 1-3 digits. */
export const GPT4_PATTERN =
  "'(?i:[sdmt]|ll|ve|re)|[^\\r\\n\\p{L}\\p{N}]?+\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]++[\\r\\n]*|\\s*[\\r\\n]|\\s+(?!\\S)|\\s+";

/**
 * Our default: the GPT-4 pattern with numbers grouped 1-2 digits (`\p{N}{1,2}`), as nanochat.
 * A chunk is one of: an English contraction suffix ('s 't 're ...), an optional non-letter
 * followed by letters (" hello"), 1-2 digits, an optional space and a run of punctuation,
 * newlines (with the whitespace before them), or other whitespace.
 */
export const DEFAULT_PATTERN =
  "'(?i:[sdmt]|ll|ve|re)|[^\\r\\n\\p{L}\\p{N}]?+\\p{L}+|\\p{N}{1,2}| ?[^\\s\\p{L}\\p{N}]++[\\r\\n]*|\\s*[\\r\\n]|\\s+(?!\\S)|\\s+";

/**
 * The GPT-4 pattern with every digit its own chunk (`\\p{N}`), as LLaMA's tokenizer splits
 * digits: "75" and "110" become "7 5" and "1 1 0", so every number is written with the same ten
 * tokens and place-value arithmetic sees one digit per token (a small vocabulary otherwise
 * merges some two-digit runs, like "11", and not others, like "75").
 */
export const SPLIT_DIGITS_PATTERN =
  "'(?i:[sdmt]|ll|ve|re)|[^\\r\\n\\p{L}\\p{N}]?+\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]++[\\r\\n]*|\\s*[\\r\\n]|\\s+(?!\\S)|\\s+";

/** GPT-2's pre-split pattern. */
export const GPT2_PATTERN = "'(?:[sdmt]|ll|ve|re)| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

function caseFold(ch: string, inClass: boolean): string {
  const folds = /^[a-zA-Z]$/.test(ch) ? caseFolds(ch) : undefined;
  if (folds) {
    const body = folds.map((cp) => String.fromCodePoint(cp)).join("");
    return inClass ? body : `[${body}]`;
  }
  const lower = ch.toLowerCase();
  const upper = ch.toUpperCase();
  if (lower === upper) return ch;
  return inClass ? `${lower}${upper}` : `[${lower}${upper}]`;
}

const complements = new Map<string, Ranges>();

/**
 * The escape at pattern[i] (`\s`, `\S`, `\d`, `\D`, `\p{X}`, `\P{X}`, `\pX`) as tiktoken's
 * code point ranges and the escape's length, or undefined for other escapes.
 */
function tiktokenClass(pattern: string, i: number): { ranges: Ranges; length: number } | undefined {
  const letter = pattern[i + 1] ?? "";
  let name: string;
  let length = 2;
  if (letter === "s" || letter === "S") name = "White_Space";
  else if (letter === "d" || letter === "D") name = "Nd";
  else if (letter === "p" || letter === "P") {
    if (pattern[i + 2] === "{") {
      const close = pattern.indexOf("}", i + 3);
      if (close < 0) return undefined;
      name = pattern.slice(i + 3, close);
      length = close - i + 1;
    } else {
      name = pattern[i + 2] ?? "";
      length = 3;
    }
  } else return undefined;
  if (!isUnicodeClassName(name)) return undefined;
  const ranges = classRanges(name);
  if (letter === letter.toLowerCase()) return { ranges, length };
  let complement = complements.get(name);
  if (!complement) {
    complement = complementRanges(ranges);
    complements.set(name, complement);
  }
  return { ranges: complement, length };
}

/**
 * Rewrites a tiktoken (fancy-regex) pattern into an equivalent JS RegExp with flags `gu`.
 * Throws an LlmError (INVALID_CONFIG) naming the pattern when JS cannot compile the result.
 */
export function toJsRegExp(pattern: string): RegExp {
  return compile(pattern, true);
}

/**
 * Checks that `pattern` is a usable pre-split pattern: a valid regex that never matches the
 * empty string (which would cut nothing and never advance). Throws INVALID_CONFIG naming it.
 * Cheap: it compiles with JS's classes (the syntax is what is checked).
 */
export function checkPattern(pattern: string): void {
  const regex = compile(pattern, false);
  // Probe text with every class the patterns distinguish; any empty match is refused.
  for (const probe of ["", "a", "Ab cd", "1 23", " !?", "\n", " \r\n\t", "'s 'LL", "é水🙂", "a\u0301b"]) {
    regex.lastIndex = 0;
    for (let match = regex.exec(probe); match !== null; match = regex.exec(probe)) {
      if (match[0].length === 0) throw emptyMatch(pattern, probe);
    }
  }
}

export function emptyMatch(pattern: string, text: string): LlmError {
  return new LlmError(
    "INVALID_CONFIG",
    `The pre-split pattern can match the empty string (at ${JSON.stringify(text.slice(0, 20))}), so it would never advance.`,
    {
      input: pattern,
      hint: "Make every alternative consume at least one character, e.g. x+ instead of x*.",
    },
  );
}

function compile(pattern: string, exactClasses: boolean): RegExp {
  let out = "";
  let inClass = false;
  // For each open group: was it opened as `(?i:`?
  const groups: boolean[] = [];
  let caseInsensitive = 0;
  // True right after a quantifier (?, *, +, {m,n}); a `+` then makes it possessive.
  let afterQuantifier = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === "\\") {
      const next = pattern[i + 1] ?? "";
      const exact = exactClasses ? tiktokenClass(pattern, i) : undefined;
      if (exact) {
        const body = rangesToClassBody(exact.ranges);
        out += inClass ? body : `[${body}]`;
        i += exact.length - 1;
        afterQuantifier = false;
        continue;
      }
      // Escapes like \p{L} carry their braces along.
      const close = pattern.indexOf("}", i + 2);
      const end = (next === "p" || next === "P") && pattern[i + 2] === "{" ? close : i + 1;
      out += pattern.slice(i, end + 1);
      i = end;
      afterQuantifier = false;
      continue;
    }
    if (inClass) {
      if (ch === "]") inClass = false;
      out += caseInsensitive > 0 ? caseFold(ch, true) : ch;
      continue;
    }
    if (ch === "[") {
      inClass = true;
      afterQuantifier = false;
      const negated = pattern[i + 1] === "^";
      out += negated ? "[^" : "[";
      if (negated) i++;
      continue;
    }
    if (ch === "(") {
      afterQuantifier = false;
      if (pattern.startsWith("(?i:", i)) {
        groups.push(true);
        caseInsensitive++;
        out += "(?:";
        i += 3;
      } else if (pattern[i + 1] === "?") {
        groups.push(false);
        out += pattern.slice(i, i + 3);
        i += 2;
      } else {
        groups.push(false);
        out += ch;
      }
      continue;
    }
    if (ch === ")") {
      if (groups.pop()) caseInsensitive--;
      out += ch;
      afterQuantifier = false;
      continue;
    }
    if (ch === "{") {
      const close = pattern.indexOf("}", i);
      out += pattern.slice(i, close + 1);
      i = close;
      afterQuantifier = true;
      continue;
    }
    if (ch === "?" || ch === "*" || ch === "+") {
      // A `+` right after a quantifier makes it possessive: drop it (see the file comment).
      if (ch === "+" && afterQuantifier) {
        afterQuantifier = false;
        continue;
      }
      out += ch;
      afterQuantifier = ch !== "?" || !afterQuantifier;
      continue;
    }
    afterQuantifier = false;
    out += caseInsensitive > 0 ? caseFold(ch, false) : ch;
  }
  try {
    return new RegExp(out, "gu");
  } catch (cause) {
    throw new LlmError("INVALID_CONFIG", "The pre-split pattern is not a valid regular expression.", {
      input: pattern,
      hint: "Use tiktoken/fancy-regex syntax: \\p{L}, (?i:...), possessive ?+ and ++ are accepted.",
      cause,
    });
  }
}
