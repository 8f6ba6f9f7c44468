/**
 * Answer extraction for the numeric probes. The rules, documented in README.md:
 * - numbers are written with digits (optionally signed, with a decimal point and thousands commas),
 *   or as English words zero..twenty ("three r's");
 * - text inside tool calls and tool outputs is never read (callers pass the assistant's own text);
 * - which number is the answer depends on the probe: the last one (letter counting, steps-first
 *   arithmetic), the first one (answer-first arithmetic), or the last one that is one of the two
 *   candidates (decimal comparison).
 * Reference: the "last number in the completion" convention of GSM8K evaluations. Leaves out:
 * fractions, scientific notation and number words above twenty.
 */

import { NUMBER_WORDS } from "@llm/rl";

export interface ExtractedNumber {
  /** The number's value. */
  value: number;
  /** The text it was read from, e.g. "9.11" or "three". */
  raw: string;
  /** Character offset in the text. */
  index: number;
}

const WORDS = NUMBER_WORDS;

const NUMBER_PATTERN = new RegExp(
  `(-?\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|-?\\d+(?:\\.\\d+)?|-?\\.\\d+)|\\b(${WORDS.join("|")})\\b`,
  "gi",
);

/** Every number in `text`, in order. */
export function extractNumbers(text: string): ExtractedNumber[] {
  const found: ExtractedNumber[] = [];
  for (const match of text.matchAll(NUMBER_PATTERN)) {
    const [raw, digits, word] = match;
    const value =
      digits !== undefined ? Number(digits.replace(/,/g, "")) : WORDS.indexOf(word!.toLowerCase());
    if (Number.isFinite(value)) found.push({ value, raw, index: match.index });
  }
  return found;
}

/** The first or last number in `text`, or undefined when it has none. */
export function extractNumber(text: string, position: "first" | "last" = "last"): number | undefined {
  const numbers = extractNumbers(text);
  const chosen = position === "first" ? numbers[0] : numbers[numbers.length - 1];
  return chosen?.value;
}

/** The last number in `text` that equals one of `candidates` (e.g. the two decimals compared). */
export function extractChoice(text: string, candidates: readonly number[]): number | undefined {
  const numbers = extractNumbers(text);
  for (let i = numbers.length - 1; i >= 0; i--) {
    const n = numbers[i]!;
    if (candidates.some((c) => Math.abs(c - n.value) < 1e-9)) return n.value;
  }
  return undefined;
}

/** True when `text`'s number at `position` equals `answer` (a number written as text). */
export function numberMatches(text: string, answer: string, position: "first" | "last" = "last"): boolean {
  const expected = Number(answer.replace(/,/g, ""));
  const got = extractNumber(text, position);
  return got !== undefined && Number.isFinite(expected) && Math.abs(got - expected) < 1e-9;
}
