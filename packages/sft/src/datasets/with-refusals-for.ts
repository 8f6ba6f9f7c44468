/**
 * withRefusalsFor: a copy of a knowledge base in which the named known-train entities are taught
 * as refusals ("I don't know anything about X."), e.g. those the base model does not recognise
 * (@llm/probes' `unfamiliarEntities`, from Llama 3's factuality recipe: refuse what the model itself
 * gets wrong, not a list fixed in advance). The pretraining documents stay as they were; only what
 * SFT teaches about those names changes.
 * Reference: Llama 3 (Dubey et al. 2024), section 4.3.6 "Factuality".
 * Leaves out: the held-out (known-eval, unknown-eval) entities, which the knowledge probe asks
 * about and which are never relabelled.
 */
import type { KnowledgeBase } from "./knowledge.js";

export function withRefusalsFor(kb: KnowledgeBase, names: readonly string[]): KnowledgeBase {
  const set = new Set(names);
  return {
    entities: kb.entities.map((e) =>
      set.has(e.name) && e.split === "known-train" ? { ...e, split: "unknown-train" } : e,
    ),
  };
}
