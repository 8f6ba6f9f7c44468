/**
 * The `medium` preset: a laptop-GPU model (8 layers x 512, context 512, vocab 8192, ~29M
 * parameters) trained on every offline corpus on the webgpu backend (Metal on an M-series Mac,
 * Vulkan on a mid-range NVIDIA or AMD card). Its pretraining is expected within an hour there:
 * an estimate from FLOPs (16.4M tokens x ~201 MFLOP/token = 3.3 PFLOP at 1-2 TFLOP/s effective
 * fp32 through tfjs-backend-webgpu), not a measurement: no GPU has run it yet. On a CPU
 * backend it refuses unless --force (measured on wasm: ~11 tokens/s, i.e. weeks).
 * SFT runs on webgpu too; RL and probes run on wasm today (they read tensors synchronously), so
 * with this preset they are slow: `--until sft` stops before them. Figures: apps/pipeline/README.md.
 */
import type { PipelineConfig } from "../pipeline-config.js";
import { small } from "./small.js";

export const medium: PipelineConfig = {
  ...small,
  name: "medium",
  description:
    "Laptop GPU (webgpu): 8 layers x 512, context 512, vocab 8192, ~29M params; pretraining ~1 h (estimated).",
  data: {
    ...small.data,
    // every document of the offline corpora (~44 MB raw), so that the 16.4M-token budget is a
    // few passes over the data rather than dozens
    corpora: [
      { name: "moby-dick", maxDocuments: 1_000_000 },
      { name: "sotu", maxDocuments: 1_000_000 },
      { name: "spam-assassin", maxDocuments: 1_000_000 },
    ],
    facts: { knownEntities: 200, unknownEntities: 200, documentsPerEntity: 250 },
    letterWords: { source: "corpus", minCount: 3, maxWords: 6000 },
    copyCurriculum: { repeatDocuments: 30_000, taskDocuments: 30_000 },
  },
  tokenizer: { vocabSize: 8192, maxTrainingChars: 20_000_000, splitDigits: true },
  pretrain: {
    model: {
      nLayer: 8,
      nEmbd: 512,
      nHead: 8,
      seqLen: 512,
      smearKeys: true,
      tieEmbeddings: true,
      qkGain: true,
    },
    copyRows: { warmupSteps: 200, share: 0.1 },
    // 2,000 steps x 16 x 512 = 16.4M tokens
    steps: 2000,
    batchSize: 16,
    learningRate: 1e-3,
    warmupSteps: 100,
    weightDecay: 0.05,
    evalEvery: 200,
    checkpointEvery: 100,
  },
  sft: { ...small.sft, steps: 800, batchSize: 16, learningRate: 3e-4, evalEvery: 200, checkpointEvery: 100 },
  rl: { ...small.rl, steps: 60, promptsPerStep: 8, groupSize: 8 },
  hardware: {
    requires: "gpu",
    cpuTokensPerSecond: 10.9,
    cpuMeasured:
      "bench/train-throughput/ours.ts --vocab 8192 --embd 512 --layers 8 --heads 8 --seq 512 --batch 2 --backend wasm, one thread of our loaded 2-core machine, 2026-12-01",
    budget:
      "~29.4M parameters (4.2M tied embedding + 25.2M in 8 blocks); ~201 MFLOP/token (6N + 12·L·T·C); 8,192 tokens and ~1.65 TFLOP per step; 2,000 steps = 16.4M tokens = 3.3 PFLOP",
    expected:
      "estimated, not measured: pretraining 30-60 min at 1-2 TFLOP/s effective fp32 (an M2 Pro or RTX 3060 class GPU through tfjs-backend-webgpu), ~5 GB of GPU memory (weights, grads and AdamW ~0.5 GB; activations and attention probabilities at batch 16 x 512 ~4 GB)",
  },
};
