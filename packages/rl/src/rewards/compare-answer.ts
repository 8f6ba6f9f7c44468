/**
 * compareAnswer: decides whether an extracted answer matches a task's reference answer, per task
 * kind: numbers compare by value ("1,000" = "1000.0"; "9.90" = "9.9"), letter counts accept a
 * digit string or a small number word ("three"), anything else compares as normalised text
 * (case, surrounding punctuation and whitespace ignored).
 * Reference: the answer normalisation of nanochat's GSM8K and spelling-bee tasks, TRL's accuracy
 * reward. Leaves out: symbolic math equivalence (fractions vs decimals beyond plain numbers, units).
 */

import { NUMBER_WORDS } from "./number-words.js";

/** Lower-case, trimmed, with surrounding quotes, brackets and final punctuation removed. */
export function normalizeAnswer(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/^[\s"'`([{*]+|[\s"'`)\]}*.,;:!?]+$/g, "")
    .replace(/\s+/g, " ");
}

/** The number a short answer states ("$1,234.50" -> 1234.5, "-3" -> -3, "three" -> 3), or undefined. */
export function parseNumber(text: string): number | undefined {
  const cleaned = normalizeAnswer(text)
    .replace(/^\$/, "")
    .replace(/,(?=\d{3}\b)/g, "")
    .replace(/\s/g, "");
  if (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/.test(cleaned)) return Number(cleaned);
  const word = NUMBER_WORDS.indexOf(cleaned);
  return word >= 0 ? word : undefined;
}

/** True when `extracted` answers `reference` for a task of `kind` ("arithmetic", "letter-count", "decimal-compare", ...). */
export function compareAnswer(kind: string, extracted: string, reference: string): boolean {
  const want = parseNumber(reference);
  if (
    want !== undefined &&
    (kind === "arithmetic" || kind === "letter-count" || kind === "decimal-compare")
  ) {
    const got = parseNumber(extracted);
    if (got === undefined) return false;
    if (kind === "letter-count") return Number.isInteger(got) && got === want;
    return Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want));
  }
  return normalizeAnswer(extracted) === normalizeAnswer(reference);
}
