/**
 * C4 filter: line-level cleaning plus document rules. Lines are removed when they hold a word
 * over 1000 characters, have fewer than 3 words, mention "javascript", or carry a cookie or
 * policy notice; citation markers like "[1]" and "[edit]" are stripped. Documents are dropped
 * for "lorem ipsum", a curly bracket, fewer than 5 sentences, or nothing left. Defaults are
 * FineWeb's (datatrove C4QualityFilter with filter_no_terminal_punct=False).
 * Reference: Raffel et al. 2020 (T5/C4), section 2.2. Leaves out: the "bad words" rule of C4
 * (see HarmfulContentFilter) and a trained sentence splitter (sentences are split on . ! ?).
 */
import type { Document, DocumentFilter, FilterDecision } from "@llm/core";
import { endsWithPunctuation, splitWords } from "./text-stats.js";

export interface C4Options {
  /** Drop lines holding a word longer than this. Default 1000. */
  maxWordLength?: number;
  /** Drop lines with fewer words than this. Default 3. */
  minWordsPerLine?: number;
  /** Drop documents with fewer sentences than this. Default 5. */
  minSentences?: number;
  /** Drop lines not ending in terminal punctuation. Default false (as FineWeb). */
  filterNoTerminalPunctuation?: boolean;
  /** Drop lines containing "javascript". Default true. */
  filterJavascript?: boolean;
  /** Drop documents containing "lorem ipsum". Default true. */
  filterLoremIpsum?: boolean;
  /** Drop documents containing "{". Default true. */
  filterCurlyBracket?: boolean;
  /** Drop lines with cookie/policy notices. Default true. */
  filterPolicy?: boolean;
}

const POLICY_PHRASES = [
  "terms of use",
  "privacy policy",
  "cookie policy",
  "uses cookies",
  "use of cookies",
  "use cookies",
];
const CITATION = /\[\d+\]|\[edit\]|\[citation needed\]/gi;

export class C4Filter implements DocumentFilter {
  readonly name = "c4";
  private readonly o: Required<C4Options>;

  constructor(options: C4Options = {}) {
    this.o = {
      maxWordLength: options.maxWordLength ?? 1000,
      minWordsPerLine: options.minWordsPerLine ?? 3,
      minSentences: options.minSentences ?? 5,
      filterNoTerminalPunctuation: options.filterNoTerminalPunctuation ?? false,
      filterJavascript: options.filterJavascript ?? true,
      filterLoremIpsum: options.filterLoremIpsum ?? true,
      filterCurlyBracket: options.filterCurlyBracket ?? true,
      filterPolicy: options.filterPolicy ?? true,
    };
  }

  apply(document: Document): FilterDecision {
    const o = this.o;
    const drop = (rule: string, value?: number, threshold?: number): FilterDecision => ({
      keep: false,
      reason: {
        filter: this.name,
        rule,
        ...(value !== undefined ? { value } : {}),
        ...(threshold !== undefined ? { threshold } : {}),
      },
    });
    const lower = document.text.toLowerCase();
    if (o.filterLoremIpsum && lower.includes("lorem ipsum")) return drop("lorem_ipsum");
    if (o.filterCurlyBracket && document.text.includes("{")) return drop("curly_bracket");
    const kept: string[] = [];
    let removed = 0;
    for (const raw of document.text.split("\n")) {
      const line = raw.replace(CITATION, "").trim();
      if (line.length === 0) continue;
      const words = splitWords(line);
      const lineLower = line.toLowerCase();
      const bad =
        words.some((w) => w.length > o.maxWordLength) ||
        words.length < o.minWordsPerLine ||
        (o.filterNoTerminalPunctuation && !endsWithPunctuation(line)) ||
        (o.filterJavascript && lineLower.includes("javascript")) ||
        (o.filterPolicy && POLICY_PHRASES.some((p) => lineLower.includes(p)));
      if (bad) removed++;
      else kept.push(line);
    }
    if (kept.length === 0) return drop("no_lines_left", removed);
    const text = kept.join("\n");
    const sentences = text.split(/[.!?]+(?:\s+|$)/).filter((s) => s.trim().length > 0).length;
    if (sentences < o.minSentences) return drop("too_few_sentences", sentences, o.minSentences);
    return { keep: true, document: text === document.text ? document : { ...document, text } };
  }
}
