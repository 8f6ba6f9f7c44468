/**
 * Number formatting and comparison phrases for finding sentences. Every finding is assembled from
 * the metrics through these helpers, so the wording follows the numbers (sign and size of a gap).
 * Reference: none (plain English report writing). Leaves out: localisation.
 */

/** A fraction as a whole percentage: 0.936 -> "94%". NaN (nothing measured) -> "n/a". */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return "n/a";
  return `${Math.round(fraction * 100)}%`;
}

/** A difference of two fractions in percentage points with its sign: 0.63 -> "+63 points". */
export function formatPoints(delta: number): string {
  if (!Number.isFinite(delta)) return "n/a";
  const points = Math.round(delta * 100);
  const sign = points > 0 ? "+" : points < 0 ? "-" : "±";
  const size = Math.abs(points);
  return `${sign}${size} point${size === 1 ? "" : "s"}`;
}

/** How a gap reads in words, by its size in percentage points (rounded). */
export type GapSize = "same" | "slightly" | "clearly" | "far";

/** Classifies |delta|: < 3 points "same", < 10 "slightly", < 30 "clearly", else "far". */
export function gapSize(delta: number): GapSize {
  const points = Math.abs(Math.round(delta * 100));
  if (points < 3) return "same";
  if (points < 10) return "slightly";
  if (points < 30) return "clearly";
  return "far";
}

/** "far better" / "slightly worse" / "about the same" for a delta of `a - b`. */
export function betterOrWorse(delta: number, better = "better", worse = "worse"): string {
  const size = gapSize(delta);
  if (size === "same") return "about the same";
  return `${size} ${delta > 0 ? better : worse}`;
}

/** Quotes a short text for a sentence, cutting it at `max` characters. */
export function quote(text: string, max = 40): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return `"${oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine}"`;
}

/** Stage names as they read in a sentence. */
export function stageLabel(stage: string): string {
  if (stage === "base") return "the base model";
  if (stage === "sft") return "SFT";
  if (stage === "rl") return "RL";
  return stage;
}

/** Capitalises the first letter of a sentence. */
export function capitalize(text: string): string {
  return text.length === 0 ? text : text[0]!.toUpperCase() + text.slice(1);
}

/** The mean of some numbers; NaN for none. */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}
