/**
 * FineWeb quality filter: the three heuristics FineWeb added on top of Gopher and C4, dropping
 * documents whose lines rarely end in punctuation, are mostly short, repeat each other, or
 * that are mostly newlines. Defaults are FineWeb's (datatrove FineWebQualityFilter).
 * Reference: Penedo et al. 2024 (FineWeb), section 3.3. Leaves out: nothing of the rule set.
 */
import type { Document, DocumentFilter, FilterDecision } from "@llm/core";
import { round } from "./gopher-repetition-filter.js";
import { duplicates, endsWithPunctuation, splitLines, splitWords } from "./text-stats.js";

export interface FineWebQualityOptions {
  /** Drop when fewer than this fraction of lines end in punctuation. Default 0.12. */
  minPunctuatedLines?: number;
  /** Drop when more than this fraction of lines are short. Default 0.67. */
  maxShortLines?: number;
  /** A line is short at or below this many characters. Default 30. */
  shortLineLength?: number;
  /** Drop when more than this fraction of characters sit in duplicated lines. Default 0.01. */
  maxDuplicateLineChars?: number;
  /** Drop when newlines per word exceed this. Default 0.3. */
  maxNewlinesPerWord?: number;
}

export class FineWebQualityFilter implements DocumentFilter {
  readonly name = "fineweb_quality";
  private readonly o: Required<FineWebQualityOptions>;

  constructor(options: FineWebQualityOptions = {}) {
    this.o = {
      minPunctuatedLines: options.minPunctuatedLines ?? 0.12,
      maxShortLines: options.maxShortLines ?? 0.67,
      shortLineLength: options.shortLineLength ?? 30,
      maxDuplicateLineChars: options.maxDuplicateLineChars ?? 0.01,
      maxNewlinesPerWord: options.maxNewlinesPerWord ?? 0.3,
    };
  }

  apply(document: Document): FilterDecision {
    const o = this.o;
    const drop = (rule: string, value: number, threshold: number): FilterDecision => ({
      keep: false,
      reason: { filter: this.name, rule, value: round(value), threshold },
    });
    const lines = splitLines(document.text);
    if (lines.length === 0) return drop("empty", 0, 1);
    const punctuated = lines.filter(endsWithPunctuation).length / lines.length;
    if (punctuated < o.minPunctuatedLines) return drop("line_punct_ratio", punctuated, o.minPunctuatedLines);
    const short = lines.filter((l) => l.length <= o.shortLineLength).length / lines.length;
    if (short > o.maxShortLines) return drop("short_line_ratio", short, o.maxShortLines);
    const totalChars = lines.reduce((s, l) => s + l.length, 0);
    const dupChars = duplicates(lines).chars / Math.max(1, totalChars);
    if (dupChars > o.maxDuplicateLineChars) return drop("char_dup_ratio", dupChars, o.maxDuplicateLineChars);
    const words = splitWords(document.text).length;
    const newlines = (document.text.match(/\n/g) ?? []).length / Math.max(1, words);
    if (newlines > o.maxNewlinesPerWord) return drop("list_ratio", newlines, o.maxNewlinesPerWord);
    return { keep: true, document };
  }
}
