/**
 * cutPassages: takes `count` passages out of a set of documents, so that a training mixture can
 * decide exactly how often each passage is seen (RepeatedDocumentsSource) or that it is never
 * seen (held out). Each passage starts at a sentence start inside a document, runs at least
 * `chars` characters to the next whitespace and has no line break; the document it came from is
 * replaced by the text before and the text after it (two documents, ids `<id>#before` and
 * `<id>#after`), so nothing of the passage stays in the documents. A passage whose first or last
 * `checkChars` characters still occur in any remaining document (a quotation, a boilerplate line,
 * a near-duplicate that dedup let through) is put back and another one drawn, so "seen k times"
 * means k. One passage per document, from documents whose metadata.source is in `sources`
 * (default: all). Deterministic for a seed.
 * Reference: the held-out and duplicated sequences of Carlini et al. 2022, "Quantifying
 * Memorization Across Neural Language Models". Leaves out: fuzzy overlap (only exact substrings
 * are checked) and passages across document boundaries.
 */
import { type Document, LlmError, Rng } from "@llm/core";

export interface CutPassagesOptions {
  /** Passages to cut. */
  count: number;
  /** Shortest passage, in characters (it ends at the next whitespace after this). */
  chars: number;
  /** Documents whose metadata.source is one of these give passages. Default: every document. */
  sources?: readonly string[];
  /** Characters at each end of a passage that must not occur in the remaining documents. Default 48. */
  checkChars?: number;
  /** Seed of the documents and positions drawn. Default 0. */
  seed?: number | string;
}

export interface CutPassage {
  text: string;
  /** The document it was cut from. */
  documentId: string;
  /** That document's metadata.source, when it has one. */
  source?: string;
}

export interface CutPassagesResult {
  passages: CutPassage[];
  /** The documents without the passages, in their order (a cut document becomes its two sides). */
  documents: Document[];
}

export function cutPassages(documents: readonly Document[], options: CutPassagesOptions): CutPassagesResult {
  const { count, chars } = options;
  const checkChars = options.checkChars ?? 48;
  if (!Number.isInteger(count) || count < 0 || !Number.isInteger(chars) || chars < checkChars) {
    throw new LlmError("INVALID_CONFIG", "cutPassages needs an integer count >= 0 and chars >= checkChars", {
      input: `count=${count}, chars=${chars}, checkChars=${checkChars}`,
      hint: "Use e.g. { count: 64, chars: 240 }.",
    });
  }
  const rng = new Rng(`cut-passages:${String(options.seed ?? 0)}`);
  const wanted = options.sources ? new Set(options.sources) : undefined;
  const pool = documents
    .map((_, i) => i)
    .filter((i) => {
      const doc = documents[i] as Document;
      return (!wanted || wanted.has(String(doc.metadata?.source ?? ""))) && doc.text.length >= 2 * chars;
    });
  rng.shuffle(pool);
  const cuts = new Map<number, { start: number; end: number }>();
  const passages: CutPassage[] = [];
  // every text a passage's ends must not appear in: the documents as they will be after all cuts
  let rest = documents.map((d) => d.text);
  for (const i of pool) {
    if (passages.length >= count) break;
    const doc = documents[i] as Document;
    // a few positions per document before giving it up
    for (let attempt = 0; attempt < 4; attempt++) {
      const span = sentenceSpan(doc.text, rng.int(doc.text.length - chars), chars);
      if (!span) continue;
      const text = doc.text.slice(span.start, span.end);
      const before = doc.text.slice(0, span.start);
      const after = doc.text.slice(span.end);
      const candidate = rest.map((t, j) => (j === i ? `${before}\n${after}` : t));
      const ends = [text.slice(0, checkChars), text.slice(-checkChars)];
      if (ends.some((end) => candidate.some((t) => t.includes(end)))) continue;
      rest = candidate;
      cuts.set(i, span);
      passages.push({
        text,
        documentId: doc.id,
        ...(doc.metadata?.source !== undefined ? { source: String(doc.metadata.source) } : {}),
      });
      break;
    }
  }
  if (passages.length < count) {
    throw new LlmError("INVALID_INPUT", `only ${passages.length} of ${count} passages could be cut`, {
      input: `${pool.length} documents of ${wanted ? [...wanted].join(", ") : "any source"} with >= ${2 * chars} characters`,
      hint: "Cut fewer or shorter passages, or read more documents of those sources.",
    });
  }
  const out: Document[] = [];
  documents.forEach((doc, i) => {
    const span = cuts.get(i);
    if (!span) {
      out.push(doc);
      return;
    }
    const sides = [
      ["before", doc.text.slice(0, span.start).trimEnd()],
      ["after", doc.text.slice(span.end).trimStart()],
    ] as const;
    for (const [side, text] of sides)
      if (text.length > 0) out.push({ ...doc, id: `${doc.id}#${side}`, text });
  });
  return { passages, documents: out };
}

/** A span from the first sentence start at or after `from`, >= `chars` long, ending before whitespace, on one line. */
function sentenceSpan(text: string, from: number, chars: number): { start: number; end: number } | undefined {
  const boundary = /[.!?]["')\]]?\s+(?=["'(]?[A-Z])/g;
  boundary.lastIndex = from;
  const match = boundary.exec(text);
  if (!match) return undefined;
  const start = match.index + match[0].length;
  const space = text.slice(start + chars).search(/\s/);
  if (space < 0) return undefined;
  const end = start + chars + space;
  const span = text.slice(start, end);
  return span.includes("\n") ? undefined : { start, end };
}
