/**
 * Helpers for the filter tests: build documents and read a decision's rule.
 * Leaves out: anything used outside tests.
 */
import type { Document, DocumentFilter } from "@llm/core";

export function doc(text: string, metadata: Record<string, unknown> = {}): Document {
  return { id: "t", text, metadata };
}

/** "keep", or the rule the filter dropped the document for. */
export async function outcome(filter: DocumentFilter, text: string, metadata: Record<string, unknown> = {}) {
  const decision = await filter.apply(doc(text, metadata));
  return decision.keep ? "keep" : decision.reason.rule;
}

/** `n` distinct lowercase filler words of 5 letters ("wabcd"-style), no stop words among them. */
export function fillerWords(n: number, prefix = "w"): string[] {
  const letters = "bcdfghjklmnpqrstvwxz";
  return Array.from({ length: n }, (_, i) => {
    let s = "";
    let k = i;
    for (let j = 0; j < 4; j++) {
      s += letters[k % letters.length];
      k = Math.floor(k / letters.length);
    }
    return `${prefix}${s}`;
  });
}
