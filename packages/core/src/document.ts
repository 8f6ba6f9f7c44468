/**
 * Documents and the filters that clean them. A filter keeps a document (possibly rewritten,
 * e.g. with PII replaced) or drops it with a reason that ends up in the exclusion file.
 * Reference: datatrove's Document and BaseFilter. Leaves out: media and binary documents.
 */

export interface Document {
  /** Stable id, unique within its source (file path + line, record id, ...). */
  id: string;
  text: string;
  /** Source-specific fields: url, dump, date, language, language_score, ... */
  metadata: Record<string, unknown>;
}

/** Why a document was dropped: which filter, which rule, and the measured value. */
export interface ExclusionReason {
  filter: string;
  rule: string;
  /** The measured value that broke the rule, when there is one. */
  value?: number | string;
  /** The threshold it was compared with, when there is one. */
  threshold?: number | string;
}

export type FilterDecision = { keep: true; document: Document } | { keep: false; reason: ExclusionReason };

export interface DocumentFilter {
  /** Stable name, used in stats.json and exclusion files (e.g. "gopher_quality"). */
  readonly name: string;
  /** Keeps (possibly rewriting) or drops one document. */
  apply(document: Document): FilterDecision | Promise<FilterDecision>;
}
