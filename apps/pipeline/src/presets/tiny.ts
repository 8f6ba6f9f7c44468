/**
 * The `tiny` preset: for tests and CI. Runs every stage in well under 3 minutes on a 2-core CPU
 * and checks the mechanics (files, resume, report), not the quality of the model.
 */
import type { PipelineConfig } from "../pipeline-config.js";

export const tiny: PipelineConfig = {
  name: "tiny",
  description: "Tests and CI: every stage in under 3 minutes on 2 CPU cores; mechanics, not quality.",
  seed: 1337,
  data: {
    corpora: [
      { name: "moby-dick", maxDocuments: 40 },
      { name: "sotu", maxDocuments: 8 },
      { name: "spam-assassin", maxDocuments: 60 },
    ],
    facts: { knownEntities: 8, unknownEntities: 4, documentsPerEntity: 2 },
    letterWords: { source: "corpus", minCount: 2, maxWords: 400 },
    copyCurriculum: { repeatDocuments: 20, taskDocuments: 20 },
    dedup: true,
    validationFraction: 0.05,
  },
  tokenizer: { vocabSize: 512, maxTrainingChars: 400_000, splitDigits: true },
  pretrain: {
    model: { nLayer: 2, nEmbd: 64, nHead: 2, seqLen: 64, smearKeys: false, tieEmbeddings: true },
    copyRows: { warmupSteps: 4, share: 0.25 },
    steps: 30,
    batchSize: 4,
    learningRate: 3e-3,
    warmupSteps: 3,
    weightDecay: 0.0,
    evalEvery: 10,
    checkpointEvery: 10,
  },
  sft: {
    steps: 12,
    batchSize: 4,
    learningRate: 1e-3,
    warmupSteps: 2,
    weightDecay: 0,
    evalEvery: 6,
    checkpointEvery: 6,
    mixture: {
      identity: 16,
      knowledge: 16,
      arithmetic: 16,
      letterCount: 16,
      decimalCompare: 16,
      wordCount: 16,
    },
    reasoningOrderVariants: true,
    reasoningTask: "word-count",
    letterToolShare: 0.5,
    knowledge: { source: "search" },
    identity: { name: "Tiny", maker: "the llm-from-scratch project" },
    arithmetic: { ops: ["+", "-", "*"], maxOperand: 99 },
  },
  rl: {
    task: "arithmetic",
    steps: 2,
    promptsPerStep: 2,
    groupSize: 2,
    learningRate: 1e-4,
    maxNewTokens: 16,
    evalPrompts: 4,
    temperature: 1,
    greedyPerGroup: 1,
    passes: 2,
    lossType: "dr_grpo",
    beta: 0.04,
  },
  probes: { names: [], itemsPerProbe: 3, letterItems: 5, maxNewTokens: 16 },
  report: { samplePrompts: ["Who are you?", "The whale"], maxNewTokens: 12 },
};
