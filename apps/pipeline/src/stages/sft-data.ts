/**
 * The SFT mixture of the pipeline: identity, knowledge-and-refusal (over the same fictional
 * entities whose fact documents went into pretraining), arithmetic and word counting (steps-first
 * or answer-first), letter counting (with the tool, or spelled out for `sft.letterToolShare` < 1)
 * and tool-using decimal comparison, all from @llm/sft's generators (knowledge questions looked up
 * with the tool's search() when sft.knowledge.source is "search"), mixed with seeded shuffling
 * and a validation split. Also the held-out evaluation sets the probes use, so
 * that probes ask exactly the questions SFT never saw.
 */
import { type Conversation, LlmError, type Task } from "@llm/core";
import {
  type ArithmeticForm,
  arithmeticConversations,
  arithmeticTasks,
  decimalCompareConversations,
  decimalCompareTasks,
  identityConversations,
  identityTasks,
  type KnowledgeBase,
  knowledgeConversations,
  knowledgeTasks,
  type LetterCallForm,
  letterCountTasks,
  letterTaskConversations,
  mixConversations,
  smallTalkConversations,
  smallTalkTasks,
  wordCountConversations,
  wordCountTasks,
} from "@llm/sft";
import type { PipelineConfig } from "../pipeline-config.js";

export interface SftData {
  train: Conversation[];
  val: Conversation[];
  counts: Record<string, number>;
}

/** Held-out tasks per family, never in SFT training. */
export interface EvalSets {
  identity: Task[];
  knowledge: Task[];
  arithmetic: Task[];
  letterCount: Task[];
  decimalCompare: Task[];
  /** Present when the mixture has word counting. */
  wordCount?: Task[];
  /** Held-out greetings and small talk; present when the mixture has them. */
  smallTalk?: Task[];
}

/**
 * The word-counting generator options of the preset: list lengths, the word pool of the template
 * lists, and every letter word for the sentences of the other phrasings.
 */
export function wordCountOptions(
  config: PipelineConfig,
  words?: readonly string[],
): { words?: readonly string[]; sentenceWords?: readonly string[]; minWords?: number; maxWords?: number } {
  const w = config.sft.wordCount ?? {};
  const pool = words && w.pool !== undefined ? words.slice(0, w.pool) : words;
  return {
    ...(pool ? { words: pool } : {}),
    ...(words ? { sentenceWords: words } : {}),
    ...(w.minWords !== undefined ? { minWords: w.minWords } : {}),
    ...(w.maxWords !== undefined ? { maxWords: w.maxWords } : {}),
  };
}

/**
 * Letter-counting conversations, the first `toolShare` of the tasks solved with the tool, the rest
 * spelled out; with `paraphrasedTool`, every task in a learner's phrasing with the tool.
 */
function letterCountSources(
  tasks: readonly Task[],
  toolShare: number,
  call: LetterCallForm,
  paraphrasedTool = false,
) {
  if (!(toolShare >= 0 && toolShare <= 1)) {
    throw new LlmError("INVALID_CONFIG", `sft.letterToolShare must be between 0 and 1, got ${toolShare}.`, {
      input: "sft.letterToolShare",
      hint: "Use 1 for tool calls only, 0.5 for half tool calls and half spelled-out counts.",
    });
  }
  const n = Math.round(tasks.length * toolShare);
  const tool = tasks.filter((t, i) => i < n || (paraphrasedTool && t.metadata?.paraphrased === true));
  const spelled = tasks.filter((t, i) => !(i < n || (paraphrasedTool && t.metadata?.paraphrased === true)));
  return [
    { name: "letter-count", conversations: letterTaskConversations(tool, "tool", call) },
    { name: "letter-count-spelled", conversations: letterTaskConversations(spelled, "direct") },
  ].filter((source) => source.conversations.length > 0);
}

function epochsFor(wanted: number, available: number): number {
  return available === 0 ? 0 : wanted / available;
}

/**
 * The mixture of one SFT model. `search` is the tool's search() over the run's corpus, needed when
 * sft.knowledge.source is "search" (the knowledge conversations show its results);
 * `wordCountTexts` the corpus sentences of sft.wordCount.corpusTextShare (wordCountTexts()).
 */
export function sftMixture(
  config: PipelineConfig,
  kb: KnowledgeBase,
  form: ArithmeticForm,
  words?: readonly string[],
  search?: (query: string) => string[],
  wordCountTexts?: readonly (readonly string[])[],
): SftData {
  const s = config.sft;
  const seed = config.seed;
  const identity = identityConversations(
    { name: s.identity.name, maker: s.identity.maker },
    {
      seed,
      count: s.mixture.identity,
      ...(s.identity.greetingShare !== undefined ? { greetingShare: s.identity.greetingShare } : {}),
      ...(s.identity.composedShare !== undefined ? { composedShare: s.identity.composedShare } : {}),
      ...(s.identity.yesNoShare !== undefined ? { yesNoShare: s.identity.yesNoShare } : {}),
      ...(s.identity.greetBack ? { greetBack: true } : {}),
      ...(s.identity.shortShare !== undefined ? { shortShare: s.identity.shortShare } : {}),
    },
  );
  const searching = s.knowledge?.source === "search";
  if (searching && !search) {
    throw new LlmError(
      "INVALID_CONFIG",
      'sft.knowledge { source: "search" } needs the run\'s corpus to search.',
      {
        input: "sft.knowledge",
        hint: 'Pass sftMixture the corpus search (the SFT stage does), or set sft.knowledge to { source: "memory" }.',
      },
    );
  }
  const share = s.phrasing?.share ?? 0;
  const knowledge = knowledgeConversations(kb, {
    ...(searching && search ? { search } : {}),
    ...(s.phrasing ? { paraphrases: s.phrasing.knowledgeParaphrases, seed } : {}),
    ...(s.phrasing?.knowledgeMorePhrasings ? { morePhrasings: s.phrasing.knowledgeMorePhrasings } : {}),
  });
  const arithmetic = arithmeticTasks({ seed, count: s.mixture.arithmetic, ...s.arithmetic });
  const letters = letterCountTasks({
    seed,
    count: s.mixture.letterCount,
    paraphraseShare: s.letterPhrasing?.share ?? share,
    ...(s.letterPhrasing?.more ? { moreParaphrases: true } : {}),
    ...(words ? { words } : {}),
  });
  const decimals = decimalCompareTasks({
    seed,
    count: s.mixture.decimalCompare,
    paraphraseShare: share,
    ...(s.decimalCompare?.closePairShare !== undefined
      ? { closePairShare: s.decimalCompare.closePairShare }
      : {}),
    ...(s.decimalCompare?.morePhrasingShare !== undefined
      ? { morePhrasingShare: s.decimalCompare.morePhrasingShare }
      : {}),
  });
  const wordCount = s.mixture.wordCount ?? 0;
  const lists =
    wordCount > 0
      ? wordCountTasks({
          seed,
          count: wordCount,
          paraphraseShare: s.wordCount?.paraphraseShare ?? share,
          ...(s.wordCount?.morePhrasingShare !== undefined
            ? { morePhrasingShare: s.wordCount.morePhrasingShare }
            : {}),
          ...(s.wordCount?.textFirstShare !== undefined
            ? { textFirstShare: s.wordCount.textFirstShare }
            : {}),
          ...(s.wordCount?.repeatShare !== undefined ? { repeatShare: s.wordCount.repeatShare } : {}),
          ...(s.wordCount?.firstRepeatShare !== undefined
            ? { firstRepeatShare: s.wordCount.firstRepeatShare }
            : {}),
          ...(s.wordCount?.firstPersonShare !== undefined
            ? { firstPersonShare: s.wordCount.firstPersonShare }
            : {}),
          ...(s.wordCount?.stepChunk !== undefined ? { stepChunk: s.wordCount.stepChunk } : {}),
          ...((s.wordCount?.corpusTextShare ?? 0) > 0
            ? { texts: wordCountTexts ?? [], textShare: s.wordCount?.corpusTextShare ?? 0 }
            : {}),
          ...wordCountOptions(config, words),
        }).train
      : [];
  const smallTalk = s.mixture.smallTalk ?? 0;
  return mixConversations(
    [
      { name: "identity", conversations: identity.train },
      {
        name: "knowledge",
        conversations: knowledge.train,
        epochs: epochsFor(s.mixture.knowledge, knowledge.train.length),
      },
      { name: `arithmetic-${form}`, conversations: arithmeticConversations(arithmetic.train, form) },
      ...letterCountSources(
        letters.train,
        s.letterToolShare ?? 1,
        s.letterCall ?? "split",
        s.letterPhrasing?.toolOnly ?? false,
      ),
      { name: "decimal-compare", conversations: decimalCompareConversations(decimals.train, "tool") },
      ...(lists.length > 0
        ? [{ name: `word-count-${form}`, conversations: wordCountConversations(lists, form) }]
        : []),
      ...(smallTalk > 0
        ? [
            {
              name: "small-talk",
              conversations: smallTalkConversations({
                seed,
                count: smallTalk,
                name: s.identity.name,
                ...(s.smallTalk?.areYouShare !== undefined ? { areYouShare: s.smallTalk.areYouShare } : {}),
                ...(s.smallTalk?.openerShare !== undefined ? { openerShare: s.smallTalk.openerShare } : {}),
                ...(s.smallTalk?.shortShare !== undefined ? { shortShare: s.smallTalk.shortShare } : {}),
                ...(s.smallTalk?.howAreYouNameShare !== undefined
                  ? { howAreYouNameShare: s.smallTalk.howAreYouNameShare }
                  : {}),
              }).train,
            },
          ]
        : []),
    ],
    { seed, valFraction: 0.05 },
  );
}

/**
 * The first `count` held-out letter-counting tasks (words SFT never trained on): the same words
 * whatever the count, since the generator draws training tasks before held-out ones.
 */
export function letterEvalTasks(config: PipelineConfig, count: number, words?: readonly string[]): Task[] {
  return letterCountTasks({
    seed: config.seed,
    count: config.sft.mixture.letterCount,
    evalCount: count,
    ...(words ? { words } : {}),
  }).eval;
}

export function evalSets(config: PipelineConfig, kb: KnowledgeBase, words?: readonly string[]): EvalSets {
  const s = config.sft;
  const seed = config.seed;
  const n = config.probes.itemsPerProbe;
  return {
    identity: identityTasks({ name: s.identity.name, maker: s.identity.maker }, { seed }).eval.slice(0, n),
    knowledge: knowledgeTasks(kb).eval.slice(0, 2 * n),
    arithmetic: arithmeticTasks({ seed, count: s.mixture.arithmetic, evalCount: n, ...s.arithmetic }).eval,
    letterCount: letterEvalTasks(config, n, words),
    decimalCompare: decimalCompareTasks({ seed, count: s.mixture.decimalCompare, evalCount: n }).eval,
    ...((s.mixture.wordCount ?? 0) > 0
      ? {
          wordCount: wordCountTasks({
            seed,
            count: s.mixture.wordCount,
            evalCount: n,
            ...wordCountOptions(config, words),
          }).eval,
        }
      : {}),
    ...((s.mixture.smallTalk ?? 0) > 0 ? { smallTalk: smallTalkTasks({ seed }).eval } : {}),
  };
}
