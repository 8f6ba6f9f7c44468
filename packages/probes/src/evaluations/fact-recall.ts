/**
 * factRecall: does the base model know the facts of the known entities? For each entity whose
 * fact documents went into pretraining, the model completes the start of the documents' first
 * sentence ("Narra is a town in Velmi, known for its", "Lomi is a", "The Solmek is a") greedily,
 * and the completion counts when it starts with the key fact the knowledge probe asks for
 * (product, job, colour). Saying "I don't know" only about what the model does not know needs
 * the model to know the rest, so the pipeline's pretrain stage reports it next to the
 * knowledge probe's numbers (docs/lab-notes/).
 * Reference: the knowledge-storage probes of Physics of Language Models 3.1 (completing a fact
 * from its sentence start).
 * Leaves out: the other facts (home town, country, length) and paraphrased prompts.
 */
import type { Tokenizer } from "@llm/core";
import { Generator, type GPT } from "@llm/model";
import type { Entity, KnowledgeBase } from "@llm/sft";

export interface FactRecall {
  /** Share of known-train entities (their questions are in SFT) whose key fact the model completes. */
  trainRecall: number;
  /** The same for the known-eval entities, which the knowledge probe asks about. */
  evalRecall: number;
  /** Entities measured: known-train and known-eval. */
  trainEntities: number;
  evalEntities: number;
}

/** The sentence start that leads to an entity's key fact, and that fact. */
export function factCompletion(entity: Entity): { prefix: string; key: string } {
  const { name, facts } = entity;
  switch (entity.kind) {
    case "person":
      return { prefix: `${name} is a`, key: facts.job ?? "" };
    case "town":
      return { prefix: `${name} is a town in ${facts.country}, known for its`, key: facts.product ?? "" };
    case "river":
      return { prefix: `The ${name} is a`, key: facts.color ?? "" };
  }
}

/** Whether the greedy completion of the entity's sentence start begins with its key fact. */
export async function recallsFact(
  generator: Generator,
  tokenizer: Tokenizer,
  bosId: number,
  entity: Entity,
): Promise<boolean> {
  const { prefix, key } = factCompletion(entity);
  const prompt = [bosId, ...tokenizer.encode(prefix)];
  const keyTokens = tokenizer.encode(` ${key}`).length;
  const ids = await generator.generateAll(prompt, { maxTokens: keyTokens + 1, temperature: 0 });
  const text = tokenizer.decode(ids).trimStart();
  return text.startsWith(key) && !/^[a-z]/i.test(text.slice(key.length));
}

/** Recall of the known entities' key facts, split by whether SFT asks about them. */
export async function factRecall(
  model: GPT,
  tokenizer: Tokenizer,
  kb: KnowledgeBase,
  bosId: number,
): Promise<FactRecall> {
  const generator = new Generator(model);
  const count = async (split: Entity["split"]) => {
    const entities = kb.entities.filter((e) => e.split === split);
    let correct = 0;
    for (const entity of entities) if (await recallsFact(generator, tokenizer, bosId, entity)) correct++;
    return { share: entities.length === 0 ? Number.NaN : correct / entities.length, total: entities.length };
  };
  const train = await count("known-train");
  const evalSplit = await count("known-eval");
  return {
    trainRecall: train.share,
    evalRecall: evalSplit.share,
    trainEntities: train.total,
    evalEntities: evalSplit.total,
  };
}
