/**
 * PipelineConfig: the typed preset that drives every stage of `pnpm pipeline`. Each stage has
 * its own section, so a stage's hash can be computed from its section alone plus its upstream
 * hashes (see stage-hash.ts). Reference: nanoGPT's config files, nanochat's speedrun scripts.
 * Leaves out: validation of values the stage packages validate themselves (they throw LlmErrors).
 */

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
  /** Whether MinHash near-dedup runs (slow on large inputs). */
  dedup: boolean;
  /** Fraction of tokens held out for validation. */
  validationFraction: number;
}

export interface TokenizerStageConfig {
  /** Target vocabulary size including the 9 special tokens. */
  vocabSize: number;
  /** Cap on characters read for training. */
  maxTrainingChars: number;
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
}

export interface SftStageConfig extends TrainLoopConfig {
  /** Number of conversations generated per source (before the train/validation split). */
  mixture: {
    identity: number;
    knowledge: number;
    arithmetic: number;
    letterCount: number;
    decimalCompare: number;
  };
  /** Train the answer-first twin (same base, arithmetic answers before steps) for the reasoning-order probe. */
  reasoningOrderVariants: boolean;
  /** The identity the assistant is taught. */
  identity: { name: string; maker: string };
}

export interface RlStageConfig {
  /** Task family RL trains on. */
  task: "arithmetic" | "letter-count" | "decimal-compare";
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
  /** Sampling temperature for rollouts. */
  temperature: number;
}

export interface ProbesStageConfig {
  /** Probe names to run; empty = all. */
  names: string[];
  /** Held-out items per probe (more = tighter numbers, slower). */
  itemsPerProbe: number;
  /** Maximum new tokens per probe answer. */
  maxNewTokens: number;
}

export interface ReportStageConfig {
  /** Fixed prompts sampled from the base, SFT and RL models for the report. */
  samplePrompts: string[];
  /** Maximum new tokens per sample. */
  maxNewTokens: number;
}

/** Planning notes for presets that are not run on our CPU machines. Not part of any stage hash. */
export interface HardwarePlan {
  /** Backend the preset is meant for. */
  backend: string;
  /** Parameter count of the model. */
  parameters: string;
  /** Expected accelerator memory. */
  memory: string;
  /** Expected training throughput. */
  throughput: string;
  /** Expected wall time. */
  time: string;
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
  /** Paper plan for GPU presets. */
  plan?: HardwarePlan;
}
