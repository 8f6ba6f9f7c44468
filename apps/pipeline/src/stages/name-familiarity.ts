/**
 * Which entities does the base model recognise? Llama 3's factuality recipe teaches "I don't
 * know" for what the model itself gets wrong, not for a list fixed in advance. Our base model
 * completes almost none of the facts (fact-recall.ts), so the test here is the weaker one the model
 * can pass: whether it has read the name. A name it has read predicts its own later tokens ("Quik"
 * -> "an" -> "ar"); a name it never read does not. `nameFamiliarity` is the mean log-probability of
 * a name's tokens after the first, in the SFT question about it; `unfamiliarEntities` picks the
 * known-train entities whose score is no better than the `quantile` of the unknown-train entities'
 * scores (names the model cannot have read), and the SFT stage teaches refusals for those too
 * (`sft.refusalFromBase`).
 * Reference: Llama 3 (Dubey et al. 2024), section 4.3.6 "Factuality" (knowledge probing, refusals
 * for what the model gets wrong); "Do I know this entity?" (Ferrando et al. 2025), on models that
 * represent whether they know an entity.
 * Leaves out: sampling the model's answers (its fact recall is too low to label by), and the
 * known-eval and unknown-eval entities (the probe's, never relabelled).
 */
import { LlmError, type Tokenizer } from "@llm/core";
import { batchTensors, type GPT } from "@llm/model";
import { type Entity, entityQuestion, type KnowledgeBase } from "@llm/sft";

/** Mean log-probability of the name's tokens after its first, in the question about it (the first token's own when the name is one token). */
export function nameFamiliarity(model: GPT, tokenizer: Tokenizer, bosId: number, entity: Entity): number {
  const question = entityQuestion(entity).question;
  const at = question.indexOf(entity.name);
  const before = [bosId, ...tokenizer.encode(question.slice(0, at).trimEnd())];
  const withName = [bosId, ...tokenizer.encode(`${question.slice(0, at)}${entity.name}`)];
  const ids = [bosId, ...tokenizer.encode(question)];
  const first = before.length; // index in ids of the name's first token
  const last = withName.length - 1; // index in ids of the name's last token
  const batch = batchTensors({
    batchSize: 1,
    seqLen: ids.length - 1,
    inputs: Int32Array.from(ids.slice(0, -1)),
    targets: Int32Array.from(ids.slice(1)),
  });
  const logProbs = model.tokenLogProbs(batch.inputs, batch.targets); // [1, T]: log p(ids[t + 1])
  const row = (logProbs.arraySync() as number[][])[0] as number[];
  logProbs.dispose();
  batch.inputs.dispose();
  batch.targets.dispose();
  // the target ids[t] is predicted at position t - 1
  const from = last > first ? first + 1 : first;
  let sum = 0;
  for (let t = from; t <= last; t++) sum += row[t - 1] as number;
  return sum / (last - from + 1);
}

export interface Unfamiliar {
  /** Known-train entities the base model does not recognise, to be taught as refusals. */
  names: string[];
  /** The score at or below which a known entity counts as unrecognised. */
  threshold: number;
  /** Known-train entities scored. */
  knownTrain: number;
}

/** Known-train entities scoring no better than the `quantile` of the unknown-train entities' scores. */
export function unfamiliarEntities(
  kb: KnowledgeBase,
  score: (entity: Entity) => number,
  quantile: number,
): Unfamiliar {
  if (!(quantile > 0 && quantile < 1)) {
    throw new LlmError("INVALID_CONFIG", `sft.refusalFromBase must be between 0 and 1, got ${quantile}.`, {
      input: "sft.refusalFromBase",
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

/** A copy of the knowledge base in which the named known-train entities are taught as refusals. */
export function withRefusalsFor(kb: KnowledgeBase, names: readonly string[]): KnowledgeBase {
  const set = new Set(names);
  return {
    entities: kb.entities.map((e) =>
      set.has(e.name) && e.split === "known-train" ? { ...e, split: "unknown-train" } : e,
    ),
  };
}
