/**
 * The `large` preset: 12 layers x 768, context 1024, vocab 16384 (~98M parameters, GPT-2-small
 * sized with tied embeddings) on the webgpu backend of a desktop GPU with 16 GB or more. Expected
 * a few hours of pretraining: an estimate from FLOPs (32.8M tokens x ~698 MFLOP/token =
 * 23 PFLOP at 2-5 TFLOP/s effective fp32), not a measurement. The offline corpora are the limit
 * at this size (the budget is ~5 passes over them). Refuses on a CPU backend unless --force.
 * RL and probes run on wasm today; `--until sft` stops before them.
 */
import type { PipelineConfig } from "../pipeline-config.js";
import { medium } from "./medium.js";

export const large: PipelineConfig = {
  ...medium,
  name: "large",
  description:
    "Desktop GPU, 16 GB (webgpu): 12 layers x 768, context 1024, vocab 16384, ~98M params; hours (estimated).",
  tokenizer: { vocabSize: 16_384, maxTrainingChars: 40_000_000, splitDigits: true },
  pretrain: {
    ...medium.pretrain,
    model: {
      nLayer: 12,
      nEmbd: 768,
      nHead: 12,
      seqLen: 1024,
      smearKeys: true,
      tieEmbeddings: true,
      qkGain: true,
    },
    // 4,000 steps x 8 x 1024 = 32.8M tokens
    steps: 4000,
    batchSize: 8,
    learningRate: 6e-4,
    warmupSteps: 200,
    evalEvery: 250,
    checkpointEvery: 100,
  },
  hardware: {
    requires: "gpu",
    cpuTokensPerSecond: 2.5,
    cpuMeasured:
      "extrapolated from medium's measured 10.9 tokens/s on wasm by FLOPs per token (~201 vs ~698 MFLOP, and longer attention rows); not measured at this size",
    budget:
      "~97.5M parameters (12.6M tied embedding + 84.9M in 12 blocks); ~698 MFLOP/token (6N + 12·L·T·C); 8,192 tokens and ~5.7 TFLOP per step; 4,000 steps = 32.8M tokens = 23 PFLOP",
    expected:
      "estimated, not measured: pretraining 1.3-3.2 h at 2-5 TFLOP/s effective fp32 through tfjs-backend-webgpu; ~14 GB of GPU memory at batch 8 x 1024 (weights, grads and AdamW ~1.6 GB, attention probabilities ~4.8 GB, other activations ~6 GB): on 12 GB set pretrain.batchSize=4",
  },
};
