/**
 * Harmful-content filter: counts hits of adult, violent and hateful terms (lists in
 * data/harmful/, with their provenance) and drops a document when one category has at least
 * `minHits` hits and more than `maxHitsPerThousandWords` hits per 1,000 words, so a long
 * article that mentions a term in passing stays while short spam built on it goes.
 * Reference: C4's bad-words rule and FineWeb's URL word lists, applied to the text.
 * Leaves out: classifiers (toxicity models) and non-English lists.
 */
import type { Document, DocumentFilter, FilterDecision } from "@llm/core";
import { dataFile, readList } from "./data-files.js";
import { round } from "./gopher-repetition-filter.js";
import { splitWords } from "./text-stats.js";

export interface HarmfulCategory {
  /** Rule name in exclusion reasons, e.g. "adult". */
  name: string;
  /** Terms or phrases (case-insensitive, matched on word boundaries). */
  terms: readonly string[];
}

export interface HarmfulContentOptions {
  /** Categories and their terms. Default: adult, violent and hateful from data/harmful/. */
  categories?: readonly HarmfulCategory[];
  /** Fewest hits of one category that can drop a document. Default 2. */
  minHits?: number;
  /** Hits per 1,000 words above which a document is dropped. Default 2. */
  maxHitsPerThousandWords?: number;
}

export function defaultHarmfulCategories(): HarmfulCategory[] {
  return ["adult", "violent", "hateful"].map((name) => ({
    name,
    terms: readList(dataFile(`harmful/${name}.txt`)),
  }));
}

export class HarmfulContentFilter implements DocumentFilter {
  readonly name = "harmful_content";
  private readonly patterns: { name: string; regex: RegExp }[];
  private readonly minHits: number;
  private readonly maxRate: number;

  constructor(options: HarmfulContentOptions = {}) {
    const categories = options.categories ?? defaultHarmfulCategories();
    this.patterns = categories
      .filter((c) => c.terms.length > 0)
      .map((c) => ({
        name: c.name,
        regex: new RegExp(
          `(?<![\\p{L}\\p{N}])(?:${c.terms.map(escapeTerm).join("|")})(?![\\p{L}\\p{N}])`,
          "giu",
        ),
      }));
    this.minHits = options.minHits ?? 2;
    this.maxRate = options.maxHitsPerThousandWords ?? 2;
  }

  apply(document: Document): FilterDecision {
    const words = Math.max(1, splitWords(document.text).length);
    for (const { name, regex } of this.patterns) {
      const hits = document.text.match(regex)?.length ?? 0;
      const rate = (hits * 1000) / words;
      if (hits >= this.minHits && rate > this.maxRate) {
        return {
          keep: false,
          reason: { filter: this.name, rule: name, value: round(rate), threshold: this.maxRate },
        };
      }
    }
    return { keep: true, document };
  }
}

function escapeTerm(term: string): string {
  return term.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s+");
}
