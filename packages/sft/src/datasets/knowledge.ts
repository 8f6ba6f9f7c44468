/**
 * Knowledge and refusal: a seeded generator of fictional entities (people, towns, rivers) with a
 * few facts each, so that what the model "knows" is exactly what it was shown. Entities are split
 * four ways: known-train, known-eval (both written as documents by factDocuments() for pretraining
 * mixing), unknown-train and unknown-eval (never written anywhere). SFT teaches answering about
 * known-train entities and saying "I don't know ..." about unknown-train ones; eval asks about
 * the held-out entities of both kinds: a model that learned the behaviour (not the list) answers
 * known-eval entities from pretraining and refuses unknown-eval ones. knowledgeConversations
 * ({ search }) teaches the other mitigation instead: look the name up with the tool's search()
 * and answer from the result, or say "I don't know" when it finds nothing.
 * Reference: "Deep Dive into LLMs" (hallucination mitigations: teaching "I don't know", and
 * letting the model search), the Physics of Language Models knowledge-extraction experiments
 * (several paraphrases per fact).
 * Leaves out: real-world facts and multi-hop questions.
 */
import type { Conversation, Document, Message, Task } from "@llm/core";
import { LlmError, Rng } from "@llm/core";
import { copyLiteral } from "./copy-literal.js";
import { varyTemplate } from "./question-variation.js";

export type EntityKind = "person" | "town" | "river";

export interface Entity {
  name: string;
  kind: EntityKind;
  /** Fact name -> value, e.g. { home: "Tovera", job: "baker" }. */
  facts: Record<string, string>;
  /** "known-train" | "known-eval" | "unknown-train" | "unknown-eval". */
  split: "known-train" | "known-eval" | "unknown-train" | "unknown-eval";
}

export interface KnowledgeConfig {
  /** Seed of the generator. Default 0. */
  seed?: number;
  /** Number of entities in all. Default 200. */
  count?: number;
  /** Share of entities that are known (written as documents). Default 0.5. */
  knownShare?: number;
  /** Share of each kind (known, unknown) held out for eval. Default 0.2. */
  evalShare?: number;
  /**
   * Make each unknown entity the twin of a known one: the same kind and the same first syllable
   * ("Wilnar", "Wilsolmi"), with a different rest, in the matching split (a known-eval entity's
   * twin is unknown-eval). Neither the first syllable nor the kind then tells known from unknown
   * names, so a model must read the whole name. With fewer unknown than known entities, the first
   * known ones get twins; with more, known ones get a second twin. Default false.
   */
  pairedUnknowns?: boolean;
}

export interface KnowledgeBase {
  entities: Entity[];
}

/** The syllables generated names are made of (2-3 each; no syllable is the start of another). */
export const NAME_SYLLABLES: readonly string[] = [
  "ka",
  "lo",
  "mi",
  "ra",
  "ven",
  "tor",
  "sa",
  "bel",
  "dun",
  "qui",
  "ze",
  "pho",
  "nar",
  "wil",
  "ost",
  "ari",
  "mek",
  "sol",
];
const jobs = ["baker", "painter", "sailor", "doctor", "farmer", "poet", "builder", "teacher"];
const products = ["glass", "cheese", "paper", "bells", "rope", "honey", "clocks", "wool"];
const colors = ["green", "brown", "blue", "grey", "red", "silver"];

/**
 * A new name of 2-3 syllables. No name is the start of another ("Solmi" and "Solmize"): a model
 * that has read "Solmize" has also read every token of "Solmi", which would make an unknown name
 * look familiar.
 */
function makeName(rng: Rng, used: Set<string>, first?: string): string {
  for (;;) {
    const n = rng.range(2, 3);
    let name = first ?? "";
    for (let i = first === undefined ? 0 : 1; i < n; i++) name += rng.pick(NAME_SYLLABLES);
    name = name[0]?.toUpperCase() + name.slice(1);
    let clash = false;
    for (const other of used) if (other.startsWith(name) || name.startsWith(other)) clash = true;
    if (!clash) {
      used.add(name);
      return name;
    }
  }
}

/** The syllable a generated name starts with (the syllables are prefix-free, so there is one). */
function firstSyllable(name: string): string {
  const lower = name.toLowerCase();
  return NAME_SYLLABLES.find((s) => lower.startsWith(s)) ?? lower.slice(0, 2);
}

function makeFacts(
  rng: Rng,
  kind: EntityKind,
  used: Set<string>,
  towns: readonly string[],
): Record<string, string> {
  if (kind === "town") return { country: makeName(rng, used), product: rng.pick(products) };
  if (kind === "person") {
    return { job: rng.pick(jobs), home: towns.length > 0 ? rng.pick(towns) : makeName(rng, used) };
  }
  return { color: rng.pick(colors), length: `${rng.range(2, 90) * 10} km` };
}

/** Generates the entities and their split, deterministically by seed. */
export function generateKnowledgeBase(config: KnowledgeConfig = {}): KnowledgeBase {
  const rng = new Rng(`knowledge:${config.seed ?? 0}`);
  const count = config.count ?? 200;
  const knownCount = Math.round(count * (config.knownShare ?? 0.5));
  const paired = config.pairedUnknowns === true && knownCount > 0;
  const used = new Set<string>();
  const towns: string[] = [];
  const entities: Entity[] = [];
  // paired: the known entities first, then their twins
  const generated = paired ? knownCount : count;
  for (let i = 0; i < generated; i++) {
    const kind: EntityKind = i < generated * 0.3 ? "town" : rng.next() < 0.7 ? "person" : "river";
    const name = makeName(rng, used);
    const facts = makeFacts(rng, kind, used, towns);
    if (kind === "town") towns.push(name);
    entities.push({ name, kind, facts, split: "known-train" });
  }
  // Towns are referenced by people, so the split is drawn over a shuffled copy.
  const order = rng.shuffle(entities.map((_, i) => i));
  const evalShare = config.evalShare ?? 0.2;
  const knownEval = Math.round(knownCount * evalShare);
  if (paired) {
    order.forEach((index, rank) => {
      (entities[index] as Entity).split = rank < knownEval ? "known-eval" : "known-train";
    });
    const known = order.map((index) => entities[index] as Entity);
    for (let j = 0; j < count - knownCount; j++) {
      const twin = known[j % known.length] as Entity;
      // a twin's facts are never written, so a person's home need not be a known town
      entities.push({
        name: makeName(rng, used, firstSyllable(twin.name)),
        kind: twin.kind,
        facts: makeFacts(rng, twin.kind, used, []),
        split: twin.split === "known-eval" ? "unknown-eval" : "unknown-train",
      });
    }
    return { entities };
  }
  const unknownEval = Math.round((count - knownCount) * evalShare);
  order.forEach((index, rank) => {
    const entity = entities[index] as Entity;
    if (rank < knownCount) entity.split = rank < knownEval ? "known-eval" : "known-train";
    else entity.split = rank - knownCount < unknownEval ? "unknown-eval" : "unknown-train";
  });
  // A known person's home is written in pretraining documents, so it must be a known town: a home
  // among the unknown towns would make that town's name familiar without its facts.
  const knownTowns = entities
    .filter((e) => e.kind === "town" && e.split.startsWith("known"))
    .map((e) => e.name);
  const unknownTowns = new Set(
    entities.filter((e) => e.kind === "town" && e.split.startsWith("unknown")).map((e) => e.name),
  );
  for (const entity of entities) {
    if (entity.kind !== "person" || !entity.split.startsWith("known") || knownTowns.length === 0) continue;
    if (unknownTowns.has(entity.facts.home ?? "")) entity.facts.home = rng.pick(knownTowns);
  }
  return { entities };
}

/** The question about an entity and its templated answer when known. */
export function entityQuestion(entity: Entity): { question: string; answer: string; key: string } {
  const { name, facts } = entity;
  switch (entity.kind) {
    case "person":
      return {
        question: `Who is ${name}?`,
        answer: `${name} is a ${facts.job} from ${facts.home}.`,
        key: facts.job ?? "",
      };
    case "town":
      return {
        question: `What is ${name} known for?`,
        answer: `${name} is a town in ${facts.country}, known for its ${facts.product}.`,
        key: facts.product ?? "",
      };
    case "river":
      return {
        question: `Tell me about the ${name} river.`,
        answer: `The ${name} is a ${facts.color} river, ${facts.length} long.`,
        key: facts.color ?? "",
      };
  }
}

/** The refusal for an unknown entity. */
export function refusal(entity: Entity): string {
  return `I don't know anything about ${entity.name}.`;
}

/** The refusal marker used by the reward of unknown-entity tasks. */
export const REFUSAL_MARKER = "I don't know";

/**
 * Pretraining documents about the known entities (train and eval), `copies` paraphrases each,
 * for @llm/data to mix into the base model's corpus.
 */
export function factDocuments(
  kb: KnowledgeBase,
  options: { copies?: number; seed?: number } = {},
): Document[] {
  const rng = new Rng(`knowledge-docs:${options.seed ?? 0}`);
  const copies = options.copies ?? 3;
  const docs: Document[] = [];
  for (const entity of kb.entities) {
    if (!entity.split.startsWith("known")) continue;
    const { name, facts } = entity;
    const variants =
      entity.kind === "person"
        ? [
            `${name} is a ${facts.job} from ${facts.home}.`,
            `${name} works as a ${facts.job}. ${name} lives in ${facts.home}.`,
            `In ${facts.home} there is a ${facts.job} called ${name}.`,
          ]
        : entity.kind === "town"
          ? [
              `${name} is a town in ${facts.country}, known for its ${facts.product}.`,
              `The town of ${name} lies in ${facts.country}. ${name} is famous for its ${facts.product}.`,
              `People in ${name}, ${facts.country}, make ${facts.product}.`,
            ]
          : [
              `The ${name} is a ${facts.color} river, ${facts.length} long.`,
              `The ${name} river is ${facts.length} long and its water is ${facts.color}.`,
              `A ${facts.color} river called the ${name} runs for ${facts.length}.`,
            ];
    for (let i = 0; i < copies; i++) {
      docs.push({
        id: `knowledge-${name}-${i}`,
        text: variants[(i + rng.int(variants.length)) % variants.length] as string,
        metadata: { source: "knowledge", entity: name, split: entity.split },
      });
    }
  }
  return docs;
}

/** Knowledge tasks: known entities answer with their key fact, unknown ones with "I don't know". */
export function knowledgeTasks(kb: KnowledgeBase): { train: Task[]; eval: Task[] } {
  const train: Task[] = [];
  const evalTasks: Task[] = [];
  for (const entity of kb.entities) {
    const { question, key } = entityQuestion(entity);
    const known = entity.split.startsWith("known");
    const isEval = entity.split.endsWith("eval");
    const list = isEval ? evalTasks : train;
    list.push({
      id: `knowledge-${entity.split}-${list.length}`,
      kind: "knowledge",
      prompt: question,
      answer: known ? key : REFUSAL_MARKER,
      metadata: { entity: entity.name, kind: entity.kind, known, split: entity.split, reward: "contains" },
    });
  }
  return { train, eval: evalTasks };
}

export interface KnowledgeConversationOptions {
  /**
   * Answer through the tool: the assistant first calls `search("Name")` (the tool sandbox's
   * search over the pretraining corpus), reads the result, then answers from it or, when nothing
   * was found, says it doesn't know. The function must give the results the engine's search()
   * will give (e.g. `(q) => new CorpusSearch(documents).search(q)` from @llm/engine over the same documents).
   * Default: no tool, the answer comes from memory.
   */
  search?: (query: string) => string[];
  /**
   * Training conversations per training entity in other phrasings (KNOWLEDGE_PARAPHRASES, through
   * varyTemplate; the name is never changed, so the search call copies it exactly), on top of the
   * one in the entity's template question. Held-out entities keep the template. Default 0.
   */
  paraphrases?: number;
  /**
   * Training conversations per training entity in KNOWLEDGE_MORE_PARAPHRASES (the past tense,
   * "who was {n}?", and other question shapes), through varyTemplate, on top of `paraphrases`;
   * drawn with their own generator, so 0 leaves the other conversations as they were. Default 0.
   */
  morePhrasings?: number;
  /** Seed of the phrasings. Default 0. */
  seed?: number;
}

/** More ways to ask about an entity ({n}: its name), for training: any kind, then per kind. */
export const KNOWLEDGE_PARAPHRASES: Record<"any" | EntityKind, readonly string[]> = {
  any: [
    "What do you know about {n}?",
    "Tell me about {n}.",
    "Have you heard of {n}?",
    "Any idea what {n} is?",
    "Can you look up {n} for me?",
    "I keep hearing about {n}. What is it?",
    "info on {n}?",
    "Do you know {n}?",
    "Give me some facts about {n}.",
    "{n} - what's that?",
    "Could you tell me something about {n}?",
    "Search for {n}, please.",
  ],
  person: [
    "Who's {n}?",
    "What does {n} do for a living?",
    "Where is {n} from?",
    "Do you know who {n} is?",
    "What is {n}'s job?",
  ],
  town: [
    "Where is {n}?",
    "What's {n} famous for?",
    "Tell me about the town of {n}.",
    "What is the town {n} like?",
    "What do people make in {n}?",
  ],
  river: [
    "What do you know about the {n} river?",
    "How long is the {n}?",
    "Tell me about the river {n}.",
    "What color is the {n} river?",
    "Where does the {n} river run?",
  ],
};

/**
 * Further ways to ask about an entity ({n}: its name), for training with `morePhrasings`: the past
 * tense ("who was {n}?", as one asks about a historical person) and question shapes the first bank
 * lacks. The answer stays the entity's fact sentence (or "I don't know" when the search is empty).
 */
export const KNOWLEDGE_MORE_PARAPHRASES: Record<"any" | EntityKind, readonly string[]> = {
  any: [
    "Who was {n}?",
    "who was {n}",
    "What was {n}?",
    "Do you know who {n} was?",
    "Tell me who {n} was.",
    "We studied {n} in history class. Who was that?",
    "Can you remind me who {n} was?",
    "who was {n} again?",
    "Who exactly was {n}?",
    "Somebody asked me about {n} and I had no answer. Do you?",
  ],
  person: [
    "What did {n} do?",
    "Who was {n} and what did they do?",
    "Where did {n} live?",
    "What was {n}'s job?",
  ],
  town: ["What was {n} famous for?", "Where was {n}?", "What did people make in {n}?"],
  river: ["Where did the {n} river flow?", "What was the {n} river like?", "How long was the {n}?"],
};

/**
 * The tool call that looks an entity up: `search(" Kalora")` for "Who is Kalora?", the name with
 * the space it has in the question (copyLiteral: the same tokens as there; search() trims), and
 * `search("Kalora")` without a question or where the name has no space before it.
 */
export function entitySearchCode(entity: Entity, question?: string): string {
  return `search(${question === undefined ? JSON.stringify(entity.name) : copyLiteral(question, entity.name)})`;
}

/**
 * SFT conversations: answers for known-train entities, refusals for unknown-train ones (eval: the
 * held-out ones); with `search`, each answer follows a search call's result.
 */
export function knowledgeConversations(
  kb: KnowledgeBase,
  options: KnowledgeConversationOptions = {},
): { train: Conversation[]; eval: Conversation[] } {
  const train: Conversation[] = [];
  const evalSet: Conversation[] = [];
  const phrasing = new Rng(`knowledge-phrasing:${options.seed ?? 0}`);
  const more = new Rng(`knowledge-more-phrasing:${options.seed ?? 0}`);
  for (const entity of kb.entities) {
    const { question, answer } = entityQuestion(entity);
    const isEval = entity.split.endsWith("eval");
    const bank = [...KNOWLEDGE_PARAPHRASES.any, ...KNOWLEDGE_PARAPHRASES[entity.kind]];
    const moreBank = [...KNOWLEDGE_MORE_PARAPHRASES.any, ...KNOWLEDGE_MORE_PARAPHRASES[entity.kind]];
    const questions = [
      question,
      ...(isEval ? [] : phrasing.shuffle([...bank]).slice(0, options.paraphrases ?? 0)).map((t) =>
        varyTemplate(t, phrasing).replaceAll("{n}", entity.name),
      ),
      ...(isEval || !(options.morePhrasings ?? 0)
        ? []
        : more
            .shuffle([...moreBank])
            .slice(0, options.morePhrasings)
            .map((t) => varyTemplate(t, more).replaceAll("{n}", entity.name))),
    ];
    const known = entity.split.startsWith("known");
    const reply = known ? answer : refusal(entity);
    let results: string[] | undefined;
    if (options.search) {
      results = options.search(entity.name);
      // The answer must follow what the tool says: a known entity the corpus lacks, or an unknown
      // one it has, would teach the model to ignore the result.
      if (known === (results.length === 0)) {
        throw new LlmError(
          "INVALID_INPUT",
          known
            ? `search(${JSON.stringify(entity.name)}) found nothing for the known entity ${entity.name}.`
            : `search(${JSON.stringify(entity.name)}) found the unknown entity ${entity.name} in the corpus: ${JSON.stringify(results[0])}.`,
          {
            input: entity.name,
            hint: known
              ? "Search the corpus that holds the knowledge base's fact documents (factDocuments)."
              : "Use another knowledge seed, so that no unknown name is a word of the corpus.",
          },
        );
      }
    }
    for (const q of questions) {
      const lookup: Message[] = results
        ? [
            { role: "assistant", content: "", toolCalls: [{ code: entitySearchCode(entity, q) }] },
            { role: "tool", content: JSON.stringify(results) },
          ]
        : [];
      const conversation: Conversation = {
        messages: [{ role: "user", content: q }, ...lookup, { role: "assistant", content: reply }],
        source: known ? "knowledge" : "refusal",
        metadata: { entity: entity.name, split: entity.split, ...(options.search ? { search: true } : {}) },
      };
      (isEval ? evalSet : train).push(conversation);
    }
  }
  return { train, eval: evalSet };
}
