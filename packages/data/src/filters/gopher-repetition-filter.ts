/**
 * Gopher repetition filter: drops documents made of repeated lines, paragraphs or n-grams.
 * Defaults are FineWeb's (datatrove GopherRepetitionFilter). Reference: Rae et al. 2021
 * (Gopher), appendix A, table A1. Leaves out: nothing of the published rule set.
 */
import type { Document, DocumentFilter, FilterDecision } from "@llm/core";
import {
  duplicateNgramCharFraction,
  duplicates,
  splitLines,
  splitParagraphs,
  splitWords,
  topNgramCharFraction,
  wordIds,
} from "./text-stats.js";

export interface GopherRepetitionOptions {
  /** Max fraction of lines that repeat an earlier line. Default 0.3. */
  dupLineFraction?: number;
  /** Max fraction of paragraphs that repeat an earlier one. Default 0.3. */
  dupParagraphFraction?: number;
  /** Max fraction of characters in repeated lines. Default 0.2. */
  dupLineCharFraction?: number;
  /** Max fraction of characters in repeated paragraphs. Default 0.2. */
  dupParagraphCharFraction?: number;
  /** Max character fraction of the most frequent n-gram, n = 2, 3, 4. Default [[2, 0.2], [3, 0.18], [4, 0.16]]. */
  topNgrams?: readonly (readonly [number, number])[];
  /** Max character fraction in repeated n-grams, n = 5..10. Default 0.15 down to 0.10. */
  dupNgrams?: readonly (readonly [number, number])[];
}

export class GopherRepetitionFilter implements DocumentFilter {
  readonly name = "gopher_repetition";
  private readonly o: Required<GopherRepetitionOptions>;

  constructor(options: GopherRepetitionOptions = {}) {
    this.o = {
      dupLineFraction: options.dupLineFraction ?? 0.3,
      dupParagraphFraction: options.dupParagraphFraction ?? 0.3,
      dupLineCharFraction: options.dupLineCharFraction ?? 0.2,
      dupParagraphCharFraction: options.dupParagraphCharFraction ?? 0.2,
      topNgrams: options.topNgrams ?? [
        [2, 0.2],
        [3, 0.18],
        [4, 0.16],
      ],
      dupNgrams: options.dupNgrams ?? [
        [5, 0.15],
        [6, 0.14],
        [7, 0.13],
        [8, 0.12],
        [9, 0.11],
        [10, 0.1],
      ],
    };
  }

  apply(document: Document): FilterDecision {
    const text = document.text;
    const drop = (rule: string, value: number, threshold: number): FilterDecision => ({
      keep: false,
      reason: { filter: this.name, rule, value: round(value), threshold },
    });
    const chars = Math.max(1, text.length);
    const paragraphs = splitParagraphs(text);
    if (paragraphs.length > 0) {
      const d = duplicates(paragraphs);
      const frac = d.count / paragraphs.length;
      if (frac > this.o.dupParagraphFraction) return drop("dup_para_frac", frac, this.o.dupParagraphFraction);
      if (d.chars / chars > this.o.dupParagraphCharFraction) {
        return drop("dup_para_char_frac", d.chars / chars, this.o.dupParagraphCharFraction);
      }
    }
    const lines = splitLines(text);
    if (lines.length > 0) {
      const d = duplicates(lines);
      const frac = d.count / lines.length;
      if (frac > this.o.dupLineFraction) return drop("dup_line_frac", frac, this.o.dupLineFraction);
      if (d.chars / chars > this.o.dupLineCharFraction) {
        return drop("dup_line_char_frac", d.chars / chars, this.o.dupLineCharFraction);
      }
    }
    const words = wordIds(splitWords(text));
    for (const [n, threshold] of this.o.topNgrams) {
      const frac = topNgramCharFraction(words, n);
      if (frac > threshold) return drop(`top_${n}_gram`, frac, threshold);
    }
    for (const [n, threshold] of this.o.dupNgrams) {
      const frac = duplicateNgramCharFraction(words, n);
      if (frac > threshold) return drop(`duplicated_${n}_n_grams`, frac, threshold);
    }
    return { keep: true, document };
  }
}

export function round(value: number): number {
  return Math.round(value * 10000) / 10000;
}
