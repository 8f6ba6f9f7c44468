/**
 * Gopher quality filter: drops documents that are too short or long, whose words are too short
 * or long, that are mostly symbols, bullets or ellipses, that have too few alphabetic words or
 * too few English stop words. Defaults are FineWeb's (datatrove GopherQualityFilter).
 * Reference: Rae et al. 2021 (Gopher), appendix A. Leaves out: non-English stop word lists
 * (pass your own `stopWords`).
 */
import type { Document, DocumentFilter, FilterDecision } from "@llm/core";
import { round } from "./gopher-repetition-filter.js";
import { splitLines, splitWords, splitWordsNoPunctuation } from "./text-stats.js";

export interface GopherQualityOptions {
  /** Fewest words (punctuation-only tokens not counted). Default 50. */
  minWords?: number;
  /** Most words. Default 100,000. */
  maxWords?: number;
  /** Shortest mean word length. Default 3. */
  minMeanWordLength?: number;
  /** Longest mean word length. Default 10. */
  maxMeanWordLength?: number;
  /** Max ratio of "#" and of "..." / "…" to words (each). Default 0.1. */
  maxSymbolWordRatio?: number;
  /** Max fraction of lines starting with a bullet. Default 0.9. */
  maxBulletLines?: number;
  /** Max fraction of lines ending with an ellipsis. Default 0.3. */
  maxEllipsisLines?: number;
  /** Min fraction of words with at least one letter. Default 0.8. */
  minAlphaWords?: number;
  /** Min number of stop words present. Default 2. */
  minStopWords?: number;
  /** Stop words. Default {the, be, to, of, and, that, have, with}. */
  stopWords?: readonly string[];
}

const BULLETS = ["•", "●", "○", "◦", "▪", "▫", "■", "□", "-", "*", "·", "‣", "⁃"];

export class GopherQualityFilter implements DocumentFilter {
  readonly name = "gopher_quality";
  private readonly o: Required<Omit<GopherQualityOptions, "stopWords">>;
  private readonly stopWords: ReadonlySet<string>;

  constructor(options: GopherQualityOptions = {}) {
    this.o = {
      minWords: options.minWords ?? 50,
      maxWords: options.maxWords ?? 100_000,
      minMeanWordLength: options.minMeanWordLength ?? 3,
      maxMeanWordLength: options.maxMeanWordLength ?? 10,
      maxSymbolWordRatio: options.maxSymbolWordRatio ?? 0.1,
      maxBulletLines: options.maxBulletLines ?? 0.9,
      maxEllipsisLines: options.maxEllipsisLines ?? 0.3,
      minAlphaWords: options.minAlphaWords ?? 0.8,
      minStopWords: options.minStopWords ?? 2,
    };
    this.stopWords = new Set(options.stopWords ?? ["the", "be", "to", "of", "and", "that", "have", "with"]);
  }

  apply(document: Document): FilterDecision {
    const o = this.o;
    const drop = (rule: string, value: number, threshold: number): FilterDecision => ({
      keep: false,
      reason: { filter: this.name, rule, value: round(value), threshold },
    });
    const text = document.text;
    const words = splitWords(text);
    const clean = splitWordsNoPunctuation(text);
    const n = clean.length;
    if (n < o.minWords) return drop("short_doc", n, o.minWords);
    if (n > o.maxWords) return drop("long_doc", n, o.maxWords);
    const mean = clean.reduce((s, w) => s + [...w].length, 0) / n;
    if (mean < o.minMeanWordLength) return drop("below_avg_word_length", mean, o.minMeanWordLength);
    if (mean > o.maxMeanWordLength) return drop("above_avg_word_length", mean, o.maxMeanWordLength);
    const hashes = (text.match(/#/g) ?? []).length / n;
    if (hashes > o.maxSymbolWordRatio) return drop("too_many_hashes", hashes, o.maxSymbolWordRatio);
    const ellipses = ((text.match(/\.\.\./g) ?? []).length + (text.match(/…/g) ?? []).length) / n;
    if (ellipses > o.maxSymbolWordRatio) return drop("too_many_ellipsis", ellipses, o.maxSymbolWordRatio);
    const lines = splitLines(text);
    if (lines.length > 0) {
      const bullets = lines.filter((l) => BULLETS.some((b) => l.startsWith(b))).length / lines.length;
      if (bullets > o.maxBulletLines) return drop("too_many_bullets", bullets, o.maxBulletLines);
      const trailing = lines.filter((l) => l.endsWith("...") || l.endsWith("…")).length / lines.length;
      if (trailing > o.maxEllipsisLines) return drop("too_many_end_ellipsis", trailing, o.maxEllipsisLines);
    }
    const alpha = words.filter((w) => /\p{L}/u.test(w)).length / Math.max(1, words.length);
    if (alpha < o.minAlphaWords) return drop("below_alpha_threshold", alpha, o.minAlphaWords);
    let stop = 0;
    for (const w of clean) if (this.stopWords.has(w.toLowerCase())) stop++;
    if (stop < o.minStopWords) return drop("not_enough_stop_words", stop, o.minStopWords);
    return { keep: true, document };
  }
}
