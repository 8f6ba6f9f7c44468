/**
 * Tensor ops of the GPT, shaped for tfjs-backend-wasm's fast paths (2-D untransposed matmuls,
 * hand-written gradients, kernels registered for wasm). Shapes and usage: the package README, "Fused ops".
 */
export type { AdamWUpdateConfig } from "./adamw-update.js";
export { adamwUpdate } from "./adamw-update.js";
export { causalAttention } from "./causal-attention.js";
export { embeddingLookup } from "./embedding-lookup.js";
export { kvAppend } from "./kv-append.js";
export { linear, linearTransposed, matMul2d } from "./linear.js";
export { registerWasmKernels } from "./register-wasm-kernels.js";
export { reluSquared } from "./relu-squared.js";
export { rmsNorm } from "./rms-norm.js";
export { ropeNormHeads } from "./rope-norm-heads.js";
export { smearKeys } from "./smear-keys.js";
export { softcapCrossEntropy, softmaxCrossEntropy } from "./softmax-cross-entropy.js";
export { targetLogProbs } from "./target-log-probs.js";
