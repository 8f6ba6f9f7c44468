/**
 * PipelineConfig: the typed preset that drives every stage of `pnpm pipeline`. Each stage has
 * its own section, so a stage's hash can be computed from its section alone plus its upstream
 * hashes (see stage-hash.ts). Reference: nanoGPT's config files, nanochat's speedrun scripts.
 * Leaves out: validation of values the stage packages validate themselves (they throw LlmErrors).
 */
import type { WordStepGuardMode } from "@llm/engine";
import type { LoopGuardLimits } from "@llm/probes";
import type { LossAggregation, RlTaskKind } from "@llm/rl";
import type { ArithmeticOp, LetterCallForm, WordCountConfig } from "@llm/sft";

/** One offline corpus used by the data stage, and how much of it to take. */
export interface CorpusSlice {
  /** Named offline corpus of @llm/data. */
  name: "moby-dick" | "sotu" | "spam-assassin";
  /** Maximum number of documents read from it (after splitting into documents). */
  maxDocuments: number;
}

export interface DataStageConfig {
  /** Corpora read through the cleaning chain. */
  corpora: CorpusSlice[];
  /** Knowledge documents (fictional entities and their facts) from @llm/sft mixed into pretraining. */
  facts: {
    /** Number of fictional entities the model should learn about in pretraining. */
    knownEntities: number;
    /** Number of entities never shown in pretraining (the model should refuse on them). */
    unknownEntities: number;
    /** How many differently-worded documents per known entity. */
    documentsPerEntity: number;
  };
  /**
   * Words of the letter-counting tasks (SFT's and the task documents'): "corpus" takes the `maxWords` most frequent words (3-12
   * letters, seen at least `minCount` times) of the run's cleaned corpus; "builtin" uses @llm/sft's
   * ~150-word list. Held-out words are a share of the same list.
   */
  letterWords: { source: "corpus" | "builtin"; minCount: number; maxWords: number };
  /**
   * Copy curriculum mixed into the pretraining text: `repeatDocuments` spans of natural text
   * written twice (@llm/data's repeatDocuments), and `taskDocuments` letter-counting and
   * decimal-comparison problems with their code as plain text, from the SFT tasks' training split
   * (@llm/sft's taskDocuments). 0 and 0 turn it off.
   */
  copyCurriculum: {
    repeatDocuments: number;
    taskDocuments: number;
    /**
     * Share of the task documents asked in @llm/sft's other phrasings (unquoted words, yes/no
     * questions), whose calls copy the question's chunks. Default 0 (the templates).
     */
    paraphraseShare?: number;
  };
  /**
   * Passages repeated a known number of times in pretraining, for the repeater probe's curve
   * (verbatim continuation against times seen, as in Carlini et al. 2022): `passagesPerCount`
   * passages for each entry of `repeats`, each written exactly that many times into pretraining
   * rows (@llm/data's RepeatedDocumentsSource, spread over the steps after the copy-row warm-up),
   * and `heldOutPassages` from the same sources that pretraining never sees. All are cut out of
   * the corpus first (@llm/data's cutPassages), so none of them is in data/train.jsonl, the BPE
   * sample, the copy curriculum or the SFT data; they are written to data/memorization.json.
   * Their copies take rows of the same step budget (the pretrain summary has the share).
   * Default: none.
   */
  memorization?: MemorizationConfig;
  /** Whether MinHash near-dedup runs (slow on large inputs). */
  dedup: boolean;
  /** Fraction of tokens held out for validation. */
  validationFraction: number;
}

/** Passages seen a chosen number of times in pretraining (DataStageConfig.memorization). */
export interface MemorizationConfig {
  /** Times seen, one group of passages per entry, e.g. [1, 2, 4, 8, 16, 32]. */
  repeats: number[];
  /** Passages in each group. */
  passagesPerCount: number;
  /** Passages of the same sources that pretraining never sees. */
  heldOutPassages: number;
  /** Characters cut out of the corpus per passage (at least passageTokens tokens' worth). */
  passageChars: number;
  /** Tokens of each passage written into pretraining: the probe's prefix (32) + continuation (16). */
  passageTokens: number;
  /** Corpora the passages come from (prose: emails repeat boilerplate across documents). */
  sources: Array<CorpusSlice["name"]>;
}

export interface TokenizerStageConfig {
  /** Target vocabulary size including the 9 special tokens. */
  vocabSize: number;
  /** Cap on characters read for training. */
  maxTrainingChars: number;
  /**
   * Every digit its own token (@llm/tokenizer's SPLIT_DIGITS_PATTERN, as LLaMA) instead of runs of
   * 1-2 digits (DEFAULT_PATTERN). Default false.
   */
  splitDigits?: boolean;
}

export interface ModelSize {
  /** Number of transformer blocks. */
  nLayer: number;
  /** Width of the residual stream. */
  nEmbd: number;
  /** Attention heads (head dim = nEmbd / nHead). */
  nHead: number;
  /** Context length in tokens. */
  seqLen: number;
  /** Smeared keys (@llm/model's GptConfig.smearKeys): copying from the context is learnt sooner. */
  smearKeys: boolean;
  /** Output head = transposed embedding (GptConfig.tieEmbeddings): a copy needs no per-token head. Default false. */
  tieEmbeddings?: boolean;
  /** Learned per-head attention gain (GptConfig.qkGain). Default false. */
  qkGain?: boolean;
}

export interface TrainLoopConfig {
  /** Optimisation steps. */
  steps: number;
  /** Sequences per step (per micro-batch). */
  batchSize: number;
  /** Peak learning rate of AdamW. */
  learningRate: number;
  /** Linear warmup steps. */
  warmupSteps: number;
  /** Decoupled weight decay. */
  weightDecay: number;
  /** Evaluate validation loss every N steps (0 = only at the end). */
  evalEvery: number;
  /** Write a resumable checkpoint every N steps. */
  checkpointEvery: number;
}

export interface PretrainStageConfig extends TrainLoopConfig {
  model: ModelSize;
  /**
   * Synthetic copy rows (@llm/data's CopyRowsSource): random token spans written 2-3 times replace
   * every training row for the first `warmupSteps` steps, then each row with probability `share`,
   * so the induction heads that copying needs form within the run. `textShare`: the share of
   * spans that are windows of the row's own text (its repeated tokens, " the", the "at" of
   * cat/sat/mat) instead of uniform ids (default 0). `countedShare`: the share of copy rows that
   * are counted copies of the row's own words, the word-counting steps' format (" the 1 cat 2
   * ..."), after the warm-up only (from the start they keep copying from forming; default 0).
   * Default: none.
   */
  copyRows?: {
    warmupSteps: number;
    share: number;
    minSpan?: number;
    maxSpan?: number;
    textShare?: number;
    countedShare?: number;
  };
}

export interface SftStageConfig extends TrainLoopConfig {
  /** Number of conversations generated per source (before the train/validation split). */
  mixture: {
    identity: number;
    knowledge: number;
    arithmetic: number;
    letterCount: number;
    decimalCompare: number;
    /** Word-counting conversations (steps-first or answer-first like arithmetic). Default 0. */
    wordCount?: number;
    /** Greetings and small talk answered as such (@llm/sft smallTalkConversations). Default 0. */
    smallTalk?: number;
  };
  /**
   * Learners' phrasings in training: the share of letter-counting, decimal and word-counting
   * questions asked in @llm/sft's paraphrase banks (through varyTemplate: case, punctuation,
   * typos, a context sentence; "which is smaller" answered with Math.min), and the extra
   * phrasings per knowledge entity. Held-out template tasks are unchanged, and RL's letter tasks
   * take the same share. `knowledgeMorePhrasings`: further conversations per training entity in
   * @llm/sft's KNOWLEDGE_MORE_PARAPHRASES (the past tense, "who was {n}?"), default 0.
   * Default: none (every question on the generators' templates).
   */
  phrasing?: { share: number; knowledgeParaphrases: number; knowledgeMorePhrasings?: number };
  /** Train the answer-first twin (same base, arithmetic answers before steps) for the reasoning-order probe. */
  reasoningOrderVariants: boolean;
  /**
   * The identity the assistant is taught; `greetingShare`: the share of its training questions
   * asked after a greeting ("Hi! What's your name?", @llm/sft identityConversations), default 0;
   * `composedShare`: the share composed from parts (many core wordings with a lead-in and/or a
   * tail, @llm/sft composeIdentityQuestion), default 0; `yesNoShare`: the share replaced by yes/no
   * identity questions ("are you Siri?", "did Google make you?" answered "No. I am Nano, ...",
   * @llm/sft yesNoIdentityConversation), default 0; `greetBack`: a question after a greeting is
   * answered with a greeting first ("Hi! I am Nano, ..."), default false; `shortShare`: the share
   * asked as a short line ("who dis", "ur name?", "who made u", @llm/sft shortIdentityLine), default 0.
   */
  identity: {
    name: string;
    maker: string;
    greetingShare?: number;
    composedShare?: number;
    yesNoShare?: number;
    greetBack?: boolean;
    shortShare?: number;
  };
  /**
   * Small-talk rows (mixture.smallTalk): `areYouShare`, the share of composed prompts that are
   * how-are-yous shaped "are you ...?" ("hey, are you feeling alright today?"); `howAreYouNameShare`,
   * the share of how-are-you replies that give the assistant's name too (@llm/sft
   * smallTalkConversations); `openerShare`, the share of composed prompts that are other chat
   * openings ("hey, you there?", "hi, my name's Sam.", "I just finished my shift."); `shortShare`,
   * the share of composed prompts that are short chat lines of one to three words ("tysm", "cya",
   * "ok cool", "谢啦", @llm/sft composeShortLine). Defaults 0.
   */
  smallTalk?: {
    areYouShare?: number;
    howAreYouNameShare?: number;
    openerShare?: number;
    shortShare?: number;
  };
  /**
   * Decimal-comparison training rows: `closePairShare`, the share of pairs whose digit strings
   * share their start (8.8 vs 8.08, 9.1 vs 9.14); `morePhrasingShare`, the share of paraphrased
   * questions in the bank with prices, weights and "cheaper"/"lower"/"less" (@llm/sft
   * decimalCompareTasks). Held-out pairs unchanged. Defaults 0.
   */
  decimalCompare?: { closePairShare?: number; morePhrasingShare?: number };
  /**
   * The arithmetic problems of SFT, of the reasoning-order probe and of RL: operations drawn from
   * (+, -, *) and the largest operand (multiplication's second factor is always 2-9).
   */
  arithmetic: { ops: ArithmeticOp[]; maxOperand: number };
  /**
   * The held-out tasks of the reasoning-order probe: "arithmetic" (default) or "word-count" (needs
   * mixture.wordCount > 0; for models too small to learn the addition facts arithmetic steps use).
   */
  reasoningTask?: "arithmetic" | "word-count";
  /**
   * The word-counting lists: `minWords`-`maxWords` words (default 3-10) drawn from the `pool` most
   * frequent corpus words (default: all the letter tasks' words). Frequent words are short and few
   * tokens, so the steps test counting more than copying long words. `paraphraseShare`: the share
   * of training questions in other phrasings about sentence-like texts (function words and all the
   * letter tasks' words, mostly unquoted, steps token-exact copies; @llm/sft wordCountTasks);
   * default: `phrasing.share`. Of those: `morePhrasingShare` in more frames (some with the text on
   * its own line), `textFirstShare` with the text before the question, and `repeatShare` the
   * chance a sentence word repeats an earlier one (defaults 0, 0 and 0.08; @llm/sft wordCountTasks);
   * `firstRepeatShare` the chance a sentence's first word (then a function word, mostly "the")
   * comes back later in it, "the dog ran to the park", and `firstPersonShare` the chance it opens
   * with a capital "I", "I like green apples a lot" (defaults 0).
   * `stepChunk`: words per step of the worked answers (default 1, "the 1 cat 2"; 3: "the cat sat
   * 3 on the mat 6"); on small, 3 took natural word counting from 34% to 23% and the template
   * lists from 100% to 78% (docs/lab-notes/2026-12-02c-natural-word-count.md).
   * `corpusTextShare`: the share of the other-phrasing texts that are real sentences of the run's
   * corpus (@llm/sft corpusSentences of data/train.jsonl's prose, not its task or knowledge
   * documents) instead of sentence-like ones (default 0).
   */
  wordCount?: Pick<
    WordCountConfig,
    | "minWords"
    | "maxWords"
    | "paraphraseShare"
    | "morePhrasingShare"
    | "textFirstShare"
    | "repeatShare"
    | "firstRepeatShare"
    | "firstPersonShare"
    | "stepChunk"
  > & { pool?: number; corpusTextShare?: number };
  /**
   * Share of the letter-counting conversations solved with the tool; the others spell the word out
   * and number each match ("s-t-r(1)-a-w-b-e-r(2)-r(3)-y"). Below 1, SFT teaches both ways and RL
   * on letter counting can learn which one pays. Default 1 (every one with the tool).
   */
  letterToolShare?: number;
  /**
   * How the letter-counting tool calls are written (@llm/sft LetterCallForm): "split",
   * `" strawberry".split(" r".trim()).length - 1`, or "count", the sandbox helper
   * `count(" strawberry", " r")` (fewer tokens, the question's chunks copied as they are).
   * Default "split".
   */
  letterCall?: LetterCallForm;
  /**
   * The letter-counting questions in learners' phrasings: `share` of them (default
   * `phrasing.share`), drawn from @llm/sft's LETTER_COUNT_PARAPHRASES plus, with `more`,
   * LETTER_COUNT_MORE_PARAPHRASES (default false). With `toolOnly` (default false) every one of
   * them is solved with the tool, and `letterToolShare` spells out template questions only
   * (the template probe's "directly" is asked on the templates). Held-out template tasks are unchanged.
   */
  letterPhrasing?: { share?: number; more?: boolean; toolOnly?: boolean };
  /** How knowledge questions are answered (KnowledgeMode). Default `{ source: "memory" }`. */
  knowledge?: KnowledgeMode;
}

/**
 * How SFT teaches the knowledge questions, one of the two hallucination mitigations of "Deep Dive
 * into LLMs":
 * - `{ source: "search" }`: every knowledge conversation first calls `search("Name")` over the
 *   run's corpus (data/train.jsonl and data/val.jsonl, the documents pretraining read), then
 *   answers from the result, or says "I don't know" when it finds nothing. The probes, the chat
 *   app and the eval-checkpoint experiment give the sandbox the same search().
 * - `{ source: "memory", refusalFromBase? }`: answers from what the model read in pretraining.
 *   With `refusalFromBase` (Llama 3's factuality recipe), the known entities whose name the base
 *   model predicts no better than this quantile of the never-seen names
 *   (@llm/probes' nameFamiliarity) are taught "I don't know" too, instead of an answer it could
 *   only make up. A number in (0, 1), e.g. 0.9. Default: off (every known entity answered).
 */
export type KnowledgeMode = { source: "search" } | { source: "memory"; refusalFromBase?: number };

export interface RlStageConfig {
  /**
   * Task family RL trains on, or a list of them: their training prompts mixed (shuffled by seed);
   * the held-out pass@1 before and after RL, and eval/rl.json (the rl-gain probe's tasks), are the
   * first one's.
   */
  task: RlTaskKind | RlTaskKind[];
  /** Policy optimisation steps. */
  steps: number;
  /** Prompts per step. */
  promptsPerStep: number;
  /** Samples per prompt (G). */
  groupSize: number;
  /** Peak learning rate. */
  learningRate: number;
  /** Maximum new tokens per completion. */
  maxNewTokens: number;
  /** Held-out prompts for pass@1 before and after RL. */
  evalPrompts: number;
  /** Sampling temperature of the rollouts and of the held-out pass@1 before and after RL. */
  temperature: number;
  /**
   * Optimisation passes over each batch of rollouts (TRL's num_iterations): more learning per
   * sampled token, which is the expensive part on a CPU; the clipped ratio keeps later passes
   * close to the sampling policy. Default 1.
   */
  passes?: number;
  /**
   * Completions of each group decoded greedily (@llm/rl's greedyPerGroup): the probes ask at
   * temperature 0, where a copy can fall into a loop that sampled rollouts rarely take. Default 0.
   */
  greedyPerGroup?: number;
  /**
   * How per-token losses are reduced (@llm/rl's LossAggregation): "grpo" averages each completion
   * over its own tokens, so a long wrong completion is penalised less per token and completions
   * grow; "dr_grpo" divides every completion by the same constant (Dr. GRPO). Default "grpo".
   */
  lossType?: LossAggregation;
  /**
   * KL coefficient to the SFT model (k3 estimator, as DeepSeekMath): keeps the policy from drifting
   * into degenerate text while it shifts between strategies. 0 loads no reference. Default 0.
   */
  beta?: number;
  /**
   * SFT replay (InstructGPT's PPO-ptx, @llm/rl's replayCoefficient): every RL step also trains on
   * `batchSize` rows of the run's own SFT training mixture (the steps-first model's, assistant
   * tokens only), its loss weighted by `coefficient`, so letter-counting RL does not erase chat.
   * Default: off.
   */
  replay?: { coefficient: number; batchSize: number };
  /**
   * Letter-counting RL tasks ask for letters the word has 0, 1 and 2+ times in equal shares (@llm/sft
   * balancedCounts): with the default draw most answers are 1, and "#### 1" whatever the tool says
   * earns most of the reward. Default false.
   */
  balancedLetterCounts?: boolean;
  /**
   * Share of RL's letter questions in the learners' phrasings (@llm/sft's paraphrase banks).
   * Default: sft.phrasing.share.
   */
  phrasingShare?: number;
  /**
   * Share of RL's word-counting prompts asked in other phrasings about sentence-like texts, as SFT
   * asks them (@llm/sft wordCountTasks' paraphraseShare, with sft.wordCount's morePhrasingShare,
   * textFirstShare and repeatShare). Default 0 (the template lists).
   */
  wordCountPhrasingShare?: number;
  /**
   * Sample RL's rollouts (and its held-out pass@1 samples) with @llm/engine's wordStepGuard, as
   * the probes and the chat decode with probes.wordStepGuard (@llm/rl's wordStepFilter as the
   * rollouts' logitsFilter): RL then rewards the guarded step lists the chat writes. The loss
   * recomputes log-probs with the plain model (@llm/rl's TrainGrpoOptions.logitsFilter). Default:
   * off (unguarded rollouts).
   */
  wordStepGuard?: WordStepGuardMode;
  /**
   * With rl.wordStepGuard: the loss's log-probs under the guarded distribution at the tokens the
   * guard constrained (@llm/rl's GrpoConfig.filteredLoss, the exact policy gradient of the guarded
   * chat) instead of the plain model's. Default false.
   */
  filteredLoss?: boolean;
}

export interface ProbesStageConfig {
  /** Probe names to run; empty = all. */
  names: string[];
  /** Held-out items per probe (more = tighter numbers, slower). */
  itemsPerProbe: number;
  /**
   * Held-out words of the letter-counting probe, when it should ask more than itemsPerProbe (the
   * first itemsPerProbe are the same words). Its target is a rate near 90%, where one word of 32
   * is 3 points; the probe takes ~0.6 s per word on the small preset. Default: itemsPerProbe.
   */
  letterItems?: number;
  /** Maximum new tokens per probe answer. */
  maxNewTokens: number;
  /**
   * Ask every chat probe a second time in natural phrasing (@llm/probes' eval sets, written apart
   * from the SFT generators), of the run's last chat model (RL when there is one; reasoning-order
   * of its two SFT variants, rl-gain of SFT and RL), and report both scores (`natural.<metric>`).
   * `items` caps each natural set (spread over it; default: all of it, 100+ per claim),
   * `rlGainItems` the letter questions of rl-gain (default: items). Default: off.
   */
  natural?: { items?: number; rlGainItems?: number };
  /**
   * Ask the chat models with @llm/engine's copyGuard: a tool call's string literals can only be
   * copies of the user's words (no copy loop, no word the question lacks). Default false.
   */
  copyGuard?: boolean;
  /** With copyGuard: guard only tool calls of these functions (e.g. ["count"]). Default: every call. */
  copyGuardCalls?: string[];
  /**
   * Ask the chat models with @llm/engine's wordStepGuard: once a reply is word-counting steps
   * (" the 1 cat 2 ..."), each step word is a copy of a word of the question ("word") or the step
   * words are a contiguous run of the question's words ("run"); numbers, where the steps start and
   * where they stop stay the model's. Default: off.
   */
  wordStepGuard?: WordStepGuardMode;
  /**
   * Ask the chat models with @llm/engine's numberGuardCalls: the number literals of tool calls of
   * these functions (e.g. ["Math.max", "Math.min"]) can only be copies of the question's numbers,
   * each a different one. Default: none.
   */
  numberGuardCalls?: string[];
  /**
   * Ask the chat models with @llm/engine's answerGuard: after a tool output, the number of the
   * "####" answer is a copy of a number of that output. Default false.
   */
  answerGuard?: boolean;
  /**
   * Ask the chat models with @llm/engine's loopGuard: no short piece repeated more than twice back
   * to back (" V V V"; five times without a letter) in a tool call's code or the reply, no
   * tool-call string past 40 characters (it can only close). An object sets its limits
   * (@llm/engine ToolLoopGuardOptions; `{ scope: "tool" }` leaves the reply alone). Default false.
   */
  loopGuard?: boolean | LoopGuardLimits;
  /**
   * Ask the chat models with @llm/engine's toolGrammar: a tool call's code can only be a
   * well-formed call `name(literal, ...)` of a tool the sandbox has (true: count, search, Math.max,
   * ...) or of the listed names, <|python_end|> only after its closing parenthesis. Default false.
   */
  toolGrammar?: boolean | string[];
  /**
   * Tokens of the context the chat models keep free for the reply after a tool output
   * (@llm/engine's toolOutputRoom): a longer output, e.g. a 200-character search hit of real text,
   * is cut ("..." before its closing `"]`) so that it never slides the question out of the
   * window; `false` forces every output whole. Default: the engine's, a quarter of seqLen (32).
   */
  toolOutputRoom?: number | false;
}

export interface ReportStageConfig {
  /** Fixed prompts sampled from the base, SFT and RL models for the report. */
  samplePrompts: string[];
  /** Maximum new tokens per sample. */
  maxNewTokens: number;
}

/**
 * What a preset needs to run in its expected time. With `requires: "gpu"` the pipeline refuses
 * (unless --force) when pretraining would run on a CPU backend, and says how long it would take
 * there. Not part of any stage hash.
 */
export interface HardwareRequirement {
  /** "gpu": pretraining needs a GPU backend (webgpu on a hardware adapter, or tensorflow-gpu). */
  requires: "gpu";
  /** Pretraining tokens/s of this model on wasm, measured (see cpuMeasured). */
  cpuTokensPerSecond: number;
  /** Where and how cpuTokensPerSecond was measured (command, machine). */
  cpuMeasured: string;
  /** Parameters, FLOPs per token and per step, token budget (computed, not measured). */
  budget: string;
  /** Expected GPU time and memory: an estimate, with what it assumes. */
  expected: string;
}

export interface PipelineConfig {
  /** Preset name. */
  name: string;
  /** One line for `--help`. */
  description: string;
  /** Master seed; each stage forks its own stream from it. */
  seed: number;
  data: DataStageConfig;
  tokenizer: TokenizerStageConfig;
  pretrain: PretrainStageConfig;
  sft: SftStageConfig;
  rl: RlStageConfig;
  probes: ProbesStageConfig;
  report: ReportStageConfig;
  /** GPU presets: the backend they need and what to expect elsewhere. */
  hardware?: HardwareRequirement;
}
