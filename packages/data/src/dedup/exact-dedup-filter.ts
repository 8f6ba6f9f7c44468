/**
 * Exact dedup: drops a document whose normalised text has been seen before (64-bit hash of
 * normalizeForDedup). State lives in the filter, so one instance dedups one stream; for
 * multi-rank runs use the MinHash stages (they also catch exact copies).
 * Reference: datatrove's ExactDedup (hash, sort, filter). Leaves out: the on-disk
 * sort/merge that makes exact dedup shard across machines.
 */
import type { Document, DocumentFilter, FilterDecision } from "@llm/core";
import { hash64, normalizeForDedup } from "./normalize.js";

export class ExactDedupFilter implements DocumentFilter {
  readonly name = "exact_dedup";
  private readonly seen = new Map<string, string>();

  apply(document: Document): FilterDecision {
    const key = hash64(normalizeForDedup(document.text));
    const first = this.seen.get(key);
    if (first !== undefined) {
      return { keep: false, reason: { filter: this.name, rule: "exact_duplicate", value: first } };
    }
    this.seen.set(key, document.id);
    return { keep: true, document };
  }
}
