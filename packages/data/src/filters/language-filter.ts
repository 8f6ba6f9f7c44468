/**
 * Language identification filter: keeps documents whose detected language is one of the
 * targets with a score above the threshold, and records the language and score in metadata.
 * Detection uses eld (Efficient Language Detector, n-gram based, pure JS) on the first
 * `maxChars` characters. Reference: FineWeb step 3 (fastText lid.176, English > 0.65).
 * Leaves out: fastText itself. eld's scores are its own similarity scale in [0, 1], not
 * fastText probabilities: clean English prose scores ~0.75-0.85, so the FineWeb default 0.65
 * keeps prose and drops mixed or non-linguistic text.
 */
import type { Document, DocumentFilter, FilterDecision } from "@llm/core";
import { round } from "./gopher-repetition-filter.js";

export interface LanguageFilterOptions {
  /** ISO 639-1 codes to keep. Default ["en"]. */
  languages?: readonly string[];
  /** Minimum score of the detected language. Default 0.65. */
  minScore?: number;
  /** Characters looked at. Default 10,000. */
  maxChars?: number;
}

type Eld = typeof import("eld/small")["eld"];
let eldModule: Promise<Eld> | undefined;
/** eld's language data takes ~1-2 s to load, so it is loaded on first use only. */
function loadEld(): Promise<Eld> {
  eldModule ??= import("eld/small").then((m) => m.eld);
  return eldModule;
}

export class LanguageFilter implements DocumentFilter {
  readonly name = "language";
  private readonly languages: ReadonlySet<string>;
  private readonly minScore: number;
  private readonly maxChars: number;

  constructor(options: LanguageFilterOptions = {}) {
    this.languages = new Set(options.languages ?? ["en"]);
    this.minScore = options.minScore ?? 0.65;
    this.maxChars = options.maxChars ?? 10_000;
    void loadEld().catch(() => {}); // start loading now; apply awaits the same promise
  }

  /** The best language and its score. */
  async detect(text: string): Promise<{ language: string; score: number }> {
    const eld = await loadEld();
    const result = eld.detect(text.slice(0, this.maxChars));
    const scores = result.getScores() as Record<string, number>;
    const language = result.language || "und";
    return { language, score: scores[language] ?? 0 };
  }

  async apply(document: Document): Promise<FilterDecision> {
    const { language, score } = await this.detect(document.text);
    if (!this.languages.has(language)) {
      return {
        keep: false,
        reason: {
          filter: this.name,
          rule: "language",
          value: language,
          threshold: [...this.languages].join(","),
        },
      };
    }
    if (score <= this.minScore) {
      return {
        keep: false,
        reason: { filter: this.name, rule: "language_score", value: round(score), threshold: this.minScore },
      };
    }
    return {
      keep: true,
      document: { ...document, metadata: { ...document.metadata, language, language_score: round(score) } },
    };
  }
}
