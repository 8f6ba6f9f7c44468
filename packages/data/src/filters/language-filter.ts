/**
 * Language identification filter: keeps documents whose detected language is one of the
 * targets with a score above the threshold, and records the language and score in metadata.
 * Detection uses eld (Efficient Language Detector, n-gram based, pure JS) on the first
 * `maxChars` characters. Reference: FineWeb step 3 (fastText lid.176, English > 0.65).
 * Leaves out: fastText itself. eld's scores are its own similarity scale in [0, 1], not
 * fastText probabilities: clean English prose scores ~0.75-0.85, so the FineWeb default 0.65
 * keeps prose and drops mixed or non-linguistic text. eld scores source code, JSON and CSS as
 * English (0.67-0.78, its keywords are English words), which fastText does not; so the score is
 * scaled by 1 - codeShare(text), the share of lines that look like code (or, for text of few
 * lines, a high density of code punctuation), and code falls under the threshold while prose
 * that quotes a little code does not.
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

/** A line that looks like code: ends in a brace or semicolon, opens with a closer, or has code operators or keywords. */
const CODE_LINE =
  /[{};]\s*$|^\s*[}\])]|=>|[=!]==?(?!=)|^\s*(?:def|class|import|from|return|const|let|var|function|export|elif|async|await|with|for|if|while)\b[^.!?]*[:({]\s*$|^\s*(?:@media|[.#][\w-]+[^.!?]*\{)|^\s*"[^"]+"\s*:/;
/** Characters that are common in code and rare in prose (URLs, e-mail quotes and addresses removed first). */
const CODE_PUNCTUATION = /[{}()[\];=<>"`|\\]/g;
/** Mail and HTTP header lines ("Content-Type: text/plain;") and MIME boundaries are not code. */
const HEADER_LINE = /^\s*(?:[A-Za-z][\w-]*:\s|--\S*$)/;

/**
 * Share of the text that is code, in [0, 1]: the share of its non-empty lines that look like code,
 * or, when that is higher, the density of code punctuation among non-space characters scaled so
 * that 0.05 (prose with some markup) is 0 and 0.15 (JSON, minified code) is 1.
 */
export function codeShare(text: string): number {
  const sample = text.slice(0, 10_000);
  const lines = sample.split("\n").filter((l) => l.trim().length > 0);
  const lineShare =
    lines.length === 0
      ? 0
      : lines.filter((l) => CODE_LINE.test(l) && !HEADER_LINE.test(l)).length / lines.length;
  const plain = sample
    .replace(/\b(?:https?:\/\/|www\.)\S+/g, " ")
    .replace(/^[ \t]*(?:>[ \t]*)+/gm, "")
    .replace(/(?<!\S)[^\s@]*@\S*/g, " ") // from the start of a word only: linear on long runs
    .replace(/\[\d+\]/g, " ") // citation and link markers [1]
    .replace(/([^\w\s])\1{2,}/g, " "); // separator lines such as ===== or -----
  const chars = plain.replace(/\s/g, "").length;
  const density = chars === 0 ? 0 : (plain.match(CODE_PUNCTUATION)?.length ?? 0) / chars;
  const densityShare = Math.min(1, Math.max(0, (density - 0.05) / 0.1));
  return Math.max(lines.length >= 4 ? lineShare : 0, densityShare);
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

  /** The best language and its score (eld's score times 1 - codeShare). */
  async detect(text: string): Promise<{ language: string; score: number }> {
    const eld = await loadEld();
    const sample = text.slice(0, this.maxChars);
    const result = eld.detect(sample);
    const scores = result.getScores() as Record<string, number>;
    const language = result.language || "und";
    return { language, score: (scores[language] ?? 0) * (1 - codeShare(sample)) };
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
