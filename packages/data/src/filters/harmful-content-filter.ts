/**
 * Harmful-content filter: counts weighted hits of adult, violent and hateful terms and drops a
 * document when one category's weighted hits reach `minHits` and their rate per 1,000 words
 * (over at least `minWords` words, so a short page needs as much evidence as a 300-word one)
 * is above `maxHitsPerThousandWords`. The vocabulary: the English dataset of the obscenity
 * package (maintained, MIT), each word assigned a category in data/harmful/obscenity-terms.txt
 * (words with common innocent senses, such as anatomy, names or history, are not counted), plus
 * the phrase lists in data/harmful/. Terms match whole words, case-insensitively, with plural
 * and verb endings, and through leetspeak (p0rn, s3x, pr0n, b1owjob): each letter also matches
 * the digits and symbols that stand for it. Weak terms (weight 0.5, e.g. "sex", "nudes") need
 * twice the hits. The drop reason names the category (rule), its rate (value) and the
 * threshold; `explain(text)` shows every category's hits and the terms that hit.
 * Reference: C4's bad-words rule, LDNOOBW categories, obscenity's leetspeak transformers (the
 * same substitutions, as character classes in one compiled regex: its matcher runs at ~0.5 MB/s,
 * too slow for the chain). Leaves out: classifiers (toxicity models) and non-English lists.
 */
import { createRequire } from "node:module";
import type { Document, DocumentFilter, FilterDecision } from "@llm/core";
import { dataFile, readList } from "./data-files.js";
import { round } from "./gopher-repetition-filter.js";
import { splitWords } from "./text-stats.js";

export interface HarmfulTerm {
  term: string;
  /** How much one hit counts. Default 1. */
  weight?: number;
}

export interface HarmfulCategory {
  /** Rule name in exclusion reasons, e.g. "adult". */
  name: string;
  /** Terms or phrases (case-insensitive, whole words, leetspeak-tolerant); strings weigh 1. */
  terms: readonly (string | HarmfulTerm)[];
}

export interface HarmfulContentOptions {
  /** Categories and their terms. Default: defaultHarmfulCategories(). */
  categories?: readonly HarmfulCategory[];
  /** Fewest weighted hits of one category that can drop a document. Default 3. */
  minHits?: number;
  /** Weighted hits per 1,000 words above which a document is dropped. Default 4. */
  maxHitsPerThousandWords?: number;
  /** The rate's word count is at least this, so short pages are not judged on one or two words. Default 300. */
  minWords?: number;
}

/** Parses "term [weight]" list lines. */
function weighted(lines: readonly string[]): HarmfulTerm[] {
  return lines.map((line) => {
    const m = /^(.*?)\s+(\d+(?:\.\d+)?)$/.exec(line);
    return m ? { term: m[1] as string, weight: Number(m[2]) } : { term: line };
  });
}

/** The words of obscenity's English dataset, by the category obscenity-terms.txt gives them. */
export function obscenityTerms(): Map<string, HarmfulTerm[]> {
  const assigned = new Map<string, { category: string; weight: number }>();
  for (const line of readList(dataFile("harmful/obscenity-terms.txt"))) {
    const m = /^(.*?)\s+(adult|hateful|violent|skip)(?:\s+(\d+(?:\.\d+)?))?$/.exec(line);
    if (m) assigned.set(m[1] as string, { category: m[2] as string, weight: Number(m[3] ?? 1) });
  }
  // Loaded on first use (obscenity is CommonJS; ~0.3 s to load), so importing @llm/data stays fast.
  const { englishDataset } = createRequire(import.meta.url)("obscenity") as typeof import("obscenity");
  const out = new Map<string, HarmfulTerm[]>();
  for (const { id } of englishDataset.build().blacklistedTerms) {
    const word = englishDataset.getPayloadWithPhraseMetadata({
      termId: id,
      startIndex: 0,
      endIndex: 0,
      matchLength: 0,
    }).phraseMetadata?.originalWord;
    const a = word === undefined ? undefined : assigned.get(word);
    if (!word || !a || a.category === "skip") continue;
    const list = out.get(a.category) ?? [];
    if (!list.some((t) => t.term === word)) list.push({ term: word, weight: a.weight });
    out.set(a.category, list);
  }
  return out;
}

export function defaultHarmfulCategories(): HarmfulCategory[] {
  const fromObscenity = obscenityTerms();
  return ["adult", "violent", "hateful"].map((name) => ({
    name,
    terms: [...(fromObscenity.get(name) ?? []), ...weighted(readList(dataFile(`harmful/${name}.txt`)))],
  }));
}

/** Characters that stand for a letter in leetspeak (obscenity's resolveLeetSpeak map, as classes). */
const LEET: Record<string, string> = {
  a: "a4@",
  b: "b8",
  e: "e3",
  g: "g9",
  i: "i1!|",
  l: "l1|",
  o: "o0",
  s: "s5$",
  t: "t7+",
  z: "z2",
};

function termPattern(term: string): string {
  let out = "";
  for (const ch of term.toLowerCase()) {
    if (/\s/.test(ch)) out += "[\\s_.-]+";
    else if (LEET[ch]) out += `[${LEET[ch].replace(/[\\\]^-]/g, "\\$&")}]`;
    else out += ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return out;
}

interface CompiledCategory {
  name: string;
  regex: RegExp;
  /** Weight by normalised term (letters only, leet resolved by the regex group index). */
  weights: number[];
}

export class HarmfulContentFilter implements DocumentFilter {
  readonly name = "harmful_content";
  private readonly categories: CompiledCategory[];
  private readonly minHits: number;
  private readonly maxRate: number;
  private readonly minWords: number;

  constructor(options: HarmfulContentOptions = {}) {
    const categories = options.categories ?? defaultHarmfulCategories();
    this.categories = categories
      .filter((c) => c.terms.length > 0)
      .map((c) => {
        const terms = c.terms.map((t) => (typeof t === "string" ? { term: t } : t));
        // One capture group per term, so a hit's weight is the weight of the group that matched.
        const alternatives = terms.map((t) => `(${termPattern(t.term)})`).join("|");
        return {
          name: c.name,
          regex: new RegExp(
            `(?<![\\p{L}\\p{N}])(?:${alternatives})(?:s|es|ed|ing|er|ers|y)?(?![\\p{L}\\p{N}])`,
            "giu",
          ),
          weights: terms.map((t) => t.weight ?? 1),
        };
      });
    this.minHits = options.minHits ?? 3;
    this.maxRate = options.maxHitsPerThousandWords ?? 4;
    this.minWords = options.minWords ?? 300;
  }

  /** Weighted hits per category and the terms that hit (as written in the text). */
  explain(text: string): { category: string; hits: number; rate: number; terms: string[] }[] {
    const words = Math.max(this.minWords, splitWords(text).length);
    return this.categories.map(({ name, regex, weights }) => {
      let hits = 0;
      const terms: string[] = [];
      for (const m of text.matchAll(regex)) {
        const group = m.findIndex((g, i) => i > 0 && g !== undefined);
        hits += weights[group - 1] ?? 1;
        if (terms.length < 20) terms.push(m[0].toLowerCase());
      }
      return { category: name, hits, rate: (hits * 1000) / words, terms };
    });
  }

  apply(document: Document): FilterDecision {
    for (const { category, hits, rate } of this.explain(document.text)) {
      if (hits >= this.minHits && rate > this.maxRate) {
        return {
          keep: false,
          reason: { filter: this.name, rule: category, value: round(rate), threshold: this.maxRate },
        };
      }
    }
    return { keep: true, document };
  }
}
