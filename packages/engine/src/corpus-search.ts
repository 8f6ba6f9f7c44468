/**
 * CorpusSearch: the `search(query)` of the tool sandbox, a whole-word, case-insensitive lookup over
 * a fixed list of documents (the pipeline passes the run's pretraining corpus: the model's
 * "internet"). Results are ranked by where the query first appears in the document (a document
 * that starts with the name is about it), then by length, then by corpus order, and each is cut
 * to a snippet that starts at the sentence holding the match. Deterministic: the same corpus and
 * query give the same results, so SFT data made with it matches what the engine returns later.
 * Reference: "Deep Dive into LLMs like ChatGPT" (mitigation #2 of hallucinations: let the model
 * search and read the results into its context window); a web search tool's ranked snippets.
 * Leaves out: relevance scoring (BM25, embeddings), stemming, and queries of several words matched
 * apart (a query is matched as one phrase).
 */
import { LlmError } from "@llm/core";

export interface CorpusSearchOptions {
  /** Results per query. Default 1. */
  maxResults?: number;
  /** Longest snippet in characters. Default 200. */
  snippetChars?: number;
}

/** A character that continues a word: a Latin letter or a digit. */
const WORD_CHAR = /[\p{Script=Latin}\d]/u;

export class CorpusSearch {
  private readonly lowered: string[];
  private readonly maxResults: number;
  private readonly snippetChars: number;

  constructor(
    private readonly documents: readonly string[],
    options: CorpusSearchOptions = {},
  ) {
    this.maxResults = options.maxResults ?? 1;
    this.snippetChars = options.snippetChars ?? 200;
    for (const [key, value] of [
      ["maxResults", this.maxResults],
      ["snippetChars", this.snippetChars],
    ] as const) {
      if (!(Number.isInteger(value) && value > 0)) {
        throw new LlmError(
          "INVALID_CONFIG",
          `CorpusSearch option ${key} must be a positive integer, got ${value}.`,
          {
            input: `${key}=${String(value)}`,
            hint: "Leave it out for the default or pass a positive integer.",
          },
        );
      }
    }
    this.lowered = documents.map((d) => d.toLowerCase());
  }

  /** Number of documents searched. */
  get size(): number {
    return this.documents.length;
  }

  /** Up to maxResults snippets of the documents that contain `query` as a whole word or phrase. */
  search(query: string): string[] {
    const needle = query.trim().toLowerCase();
    if (needle === "") return [];
    const hits: Array<{ doc: number; at: number }> = [];
    this.lowered.forEach((text, doc) => {
      const at = wholeWordIndex(text, needle);
      if (at >= 0) hits.push({ doc, at });
    });
    hits.sort(
      (a, b) =>
        a.at - b.at ||
        (this.documents[a.doc] as string).length - (this.documents[b.doc] as string).length ||
        a.doc - b.doc,
    );
    return hits.slice(0, this.maxResults).map((h) => this.snippet(this.documents[h.doc] as string, h.at));
  }

  /** The document from the start of the sentence holding `at`, cut to snippetChars. */
  private snippet(text: string, at: number): string {
    let start = 0;
    for (let i = at - 1; i >= 0; i--) {
      if (text[i] === "\n" || (/[.!?]/.test(text[i] as string) && /\s/.test(text[i + 1] ?? ""))) {
        start = i + 1;
        break;
      }
    }
    const from = text.slice(start).trimStart();
    return from.length <= this.snippetChars ? from : `${from.slice(0, this.snippetChars).trimEnd()}...`;
  }
}

/** The first index of `needle` in `text` with no word character right before or after it, or -1. */
function wholeWordIndex(text: string, needle: string): number {
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    const before = at > 0 ? (text[at - 1] as string) : "";
    const after = text[at + needle.length] ?? "";
    if (!WORD_CHAR.test(before) && !WORD_CHAR.test(after)) return at;
  }
  return -1;
}
