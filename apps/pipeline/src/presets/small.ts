/**
 * The `small` preset: the README default. At most 20 minutes end to end on a 2-core CPU, and big
 * enough that the probes show the seed's claims with numbers (identity, tools for letters and
 * decimals, steps-first over answer-first, refusal on unknown entities, an RL gain).
 * The measured time and probe numbers are in apps/pipeline/README.md.
 */
import type { PipelineConfig } from "../pipeline-config.js";

export const small: PipelineConfig = {
  name: "small",
  description: "README default: ~20 minutes on 2 CPU cores; the probes show the seed's claims with numbers.",
  seed: 42,
  data: {
    corpora: [
      { name: "moby-dick", maxDocuments: 150 },
      { name: "sotu", maxDocuments: 40 },
      { name: "spam-assassin", maxDocuments: 600 },
    ],
    // Facts are repeated so that a small model sees each known entity ~100 times in pretraining.
    facts: { knownEntities: 40, unknownEntities: 40, documentsPerEntity: 100 },
    dedup: true,
    validationFraction: 0.03,
  },
  tokenizer: { vocabSize: 1024, maxTrainingChars: 2_000_000 },
  pretrain: {
    model: { nLayer: 4, nEmbd: 128, nHead: 4, seqLen: 128 },
    steps: 200,
    batchSize: 16,
    learningRate: 3e-3,
    warmupSteps: 20,
    weightDecay: 0.01,
    evalEvery: 50,
    checkpointEvery: 25,
  },
  sft: {
    steps: 300,
    batchSize: 16,
    learningRate: 2e-3,
    warmupSteps: 10,
    weightDecay: 0,
    evalEvery: 100,
    checkpointEvery: 50,
    mixture: { identity: 300, knowledge: 600, arithmetic: 600, letterCount: 600, decimalCompare: 600 },
    reasoningOrderVariants: true,
    identity: { name: "Nano", maker: "the llm-from-scratch project" },
  },
  rl: {
    task: "arithmetic",
    steps: 8,
    promptsPerStep: 4,
    groupSize: 6,
    learningRate: 2e-4,
    maxNewTokens: 48,
    evalPrompts: 16,
    temperature: 1,
  },
  probes: { names: [], itemsPerProbe: 16, maxNewTokens: 40 },
  report: {
    samplePrompts: [
      "Who are you?",
      "How many r are in strawberry?",
      "Which is larger, 9.11 or 9.9?",
      "Call me Ishmael.",
    ],
    maxNewTokens: 40,
  },
};
