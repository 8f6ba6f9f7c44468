/**
 * GPU presets planned on paper (not run on our CPU machines): a GPT-2-small-sized model and a
 * GPT-2-medium-sized one for the tfjs-node-gpu backend. The memory and throughput figures are
 * estimates, derived in apps/pipeline/README.md ("GPU presets"): fp32 AdamW state is 16 bytes per
 * parameter; activations follow s*b*h*(34 + 5*a*s/h) bytes per layer in fp16 (Korthikanti et al.
 * 2022), doubled for fp32; throughput assumes ~30% of an A100's 19.5 TFLOP/s fp32 through
 * TensorFlow 2.9 (what tfjs-node-gpu 4.22 links), at 6*N FLOPs per token plus attention.
 */
import type { PipelineConfig } from "../pipeline-config.js";
import { small } from "./small.js";

export const gpt2Small: PipelineConfig = {
  ...small,
  name: "gpt2-small",
  description: "GPU (tfjs-node-gpu): 12 layers x 768, context 1024, ~136M params; planned on paper.",
  data: {
    ...small.data,
    corpora: [
      { name: "moby-dick", maxDocuments: 1_000_000 },
      { name: "sotu", maxDocuments: 1_000_000 },
      { name: "spam-assassin", maxDocuments: 1_000_000 },
    ],
    facts: { knownEntities: 500, unknownEntities: 250, documentsPerEntity: 10 },
  },
  tokenizer: { vocabSize: 32_768, maxTrainingChars: 200_000_000 },
  pretrain: {
    model: { nLayer: 12, nEmbd: 768, nHead: 12, seqLen: 1024, smearKeys: false },
    steps: 20_000,
    batchSize: 8,
    learningRate: 6e-4,
    warmupSteps: 500,
    weightDecay: 0.1,
    evalEvery: 500,
    checkpointEvery: 1000,
  },
  sft: { ...small.sft, steps: 3000, batchSize: 16, learningRate: 1e-4, evalEvery: 250, checkpointEvery: 500 },
  rl: { ...small.rl, steps: 300, promptsPerStep: 16, groupSize: 16, maxNewTokens: 256, evalPrompts: 400 },
  probes: { ...small.probes, itemsPerProbe: 200, maxNewTokens: 256 },
  plan: {
    backend: "tensorflow-gpu",
    parameters: "~136M (25M embedding + 25M head + 85M in 12 blocks)",
    memory:
      "~2.2 GB weights+grads+AdamW (16 B/param) + ~11.5 GB activations at batch 8 x 1024 in fp32 = ~14 GB; fits a 16 GB card with batch 4 x 2 accumulation, 40-80 GB cards at batch 8",
    throughput: "~6,000-8,000 tokens/s on one A100 (0.9 GFLOP/token at ~6 TFLOP/s effective fp32)",
    time: "20,000 steps x 8,192 tokens = 164M tokens: ~6-8 hours on one A100",
  },
};

export const gpt2Medium: PipelineConfig = {
  ...gpt2Small,
  name: "gpt2-medium",
  description: "GPU (tfjs-node-gpu): 24 layers x 1024, context 1024, ~370M params; planned on paper.",
  pretrain: {
    ...gpt2Small.pretrain,
    model: { nLayer: 24, nEmbd: 1024, nHead: 16, seqLen: 1024, smearKeys: false },
    batchSize: 4,
    learningRate: 3e-4,
  },
  plan: {
    backend: "tensorflow-gpu",
    parameters: "~370M (34M embedding + 34M head + 302M in 24 blocks)",
    memory:
      "~6 GB weights+grads+AdamW + ~15 GB activations at batch 4 x 1024 in fp32 = ~21 GB; needs a 40 GB or 80 GB card (or batch 2 with accumulation on 24 GB)",
    throughput: "~2,000-2,500 tokens/s on one A100 (2.4 GFLOP/token at ~6 TFLOP/s effective fp32)",
    time: "20,000 steps x 4,096 tokens = 82M tokens: ~10 hours on one A100",
  },
};
