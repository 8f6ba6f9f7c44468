/**
 * Which entities does the base model recognise? Llama 3's factuality recipe teaches "I don't
 * know" for what the model itself gets wrong, not for a list fixed in advance. Our base model
 * completes almost none of the facts (fact-recall.ts), so the test here is the weaker one the model
 * can pass: whether it has read the name. A name it has read predicts its own later tokens ("Quik"
 * -> "an" -> "ar"); a name it never read does not. `nameFamiliarity` is the mean log-probability of
 * a name's tokens after the first, in the SFT question about it; `unfamiliarEntities` picks the
 * known-train entities whose score is no better than the `quantile` of the unknown-train entities'
 * scores (names the model cannot have read); @llm/sft's `withRefusalsFor` then teaches refusals for
 * those too (the pipeline's `sft.knowledge.refusalFromBase`).
 * Reference: Llama 3 (Dubey et al. 2024), section 4.3.6 "Factuality" (knowledge probing, refusals
 * for what the model gets wrong); "Do I know this entity?" (Ferrando et al. 2025), on models that
 * represent whether they know an entity.
 * Leaves out: sampling the model's answers (its fact recall is too low to label by), and the
 * known-eval and unknown-eval entities (the probe's, never relabelled).
 */
import { LlmError, type Tokenizer } from "@llm/core";
import { ArrayBatchSource, evaluate, type GPT } from "@llm/model";
import { type Entity, entityQuestion, type KnowledgeBase } from "@llm/sft";

/** Mean log-probability of the name's tokens after its first, in the question about it (the first token's own when the name is one token). */
export async function nameFamiliarity(
  model: GPT,
  tokenizer: Tokenizer,
  bosId: number,
  entity: Entity,
): Promise<number> {
  const question = entityQuestion(entity).question;
  const at = question.indexOf(entity.name);
  const first = 1 + tokenizer.encode(question.slice(0, at).trimEnd()).length; // index in ids of the name's first token
  const last = tokenizer.encode(`${question.slice(0, at)}${entity.name}`).length; // index in ids of its last token
  const ids = [bosId, ...tokenizer.encode(question)];
  const from = last > first ? first + 1 : first;
  // the masked mean loss of @llm/model's evaluate over the one row: the name's tokens as targets
  const mask = ids.map((_, i) => (i >= from && i <= last ? 1 : 0));
  const source = new ArrayBatchSource(ids, 1, ids.length - 1, mask);
  return -(await evaluate(model, source, { batches: 1 })).loss;
}

export interface Unfamiliar {
  /** Known-train entities the base model does not recognise, to be taught as refusals. */
  names: string[];
  /** The score at or below which a known entity counts as unrecognised. */
  threshold: number;
  /** Known-train entities scored. */
  knownTrain: number;
}

/**
 * Known-train entities scoring no better than the `quantile` of the unknown-train entities' scores.
 * `setting` names the quantile in the error for a value outside (0, 1), e.g. the config key it came
 * from (default "quantile").
 */
export function unfamiliarEntities(
  kb: KnowledgeBase,
  score: (entity: Entity) => number,
  quantile: number,
  setting = "quantile",
): Unfamiliar {
  if (!(quantile > 0 && quantile < 1)) {
    throw new LlmError("INVALID_CONFIG", `${setting} must be between 0 and 1, got ${quantile}.`, {
      input: setting,
      hint: "Use e.g. 0.9: a known name must score above 90% of the never-seen names to be answered.",
    });
  }
  const unknown = kb.entities
    .filter((e) => e.split === "unknown-train")
    .map(score)
    .sort((a, b) => a - b);
  const known = kb.entities.filter((e) => e.split === "known-train").map((e) => ({ e, s: score(e) }));
  if (unknown.length === 0)
    return { names: [], threshold: Number.NEGATIVE_INFINITY, knownTrain: known.length };
  const threshold = unknown[Math.min(unknown.length - 1, Math.floor(quantile * unknown.length))] as number;
  return {
    names: known.filter(({ s }) => s <= threshold).map(({ e }) => e.name),
    threshold,
    knownTrain: known.length,
  };
}
