/**
 * @llm/model: a nanochat-style GPT on TensorFlow.js with backend selection, a trainer (AdamW,
 * schedules, clipping, accumulation, validation bits per byte), safetensors checkpoints,
 * KV-cached generation and a PyTorch parity anchor. See README.md.
 */
export type { AdamWConfig, DecayRule } from "./adamw.js";
export { AdamW, decays } from "./adamw.js";
export { ArrayBatchSource } from "./array-batch-source.js";
export type { CheckpointContents, LoadedCheckpoint, TrainState } from "./checkpoint.js";
export {
  checkTensors,
  cleanCheckpointLeftovers,
  loadCheckpoint,
  readCheckpointConfig,
  saveCheckpoint,
} from "./checkpoint.js";
export type { Gradients } from "./clip-global-norm.js";
export {
  clipGlobalNorm,
  clipGlobalNormAsync,
  clipGradients,
  disposeGradients,
  globalNorm,
  globalNormAsync,
} from "./clip-global-norm.js";
export type { GradientResult } from "./compute-gradients.js";
export {
  accumulateGradients,
  batchTensors,
  computeGradients,
  computeGradientsAsync,
  scaleGradients,
} from "./compute-gradients.js";
export type { EvaluateOptions, EvaluateResult } from "./evaluate.js";
export { evaluate } from "./evaluate.js";
export type { GeneratorOptions } from "./generator.js";
export { Generator } from "./generator.js";
export type { GptOptions, KvTensors } from "./gpt.js";
export { GPT, kvTensorList, mapKv, RMS_NORM_EPS, rmsNorm, tidyObject } from "./gpt.js";
export { disposeSnapshot, InferenceSession, type SessionSnapshot } from "./inference-session.js";
export type {
  BackendInfo,
  BackendLoader,
  BackendName,
  ConcreteBackend,
  InitBackendOptions,
  LoadedBackend,
} from "./init-backend.js";
export { activeBackend, BACKEND_ORDER, currentBackend, initBackend, isGpuBackend } from "./init-backend.js";
export type { LrScheduleConfig } from "./lr-schedule.js";
export { lrSchedule } from "./lr-schedule.js";
export type { ModelConfigInput, ResolvedGptConfig } from "./model-config.js";
export { countParameters, resolveGptConfig } from "./model-config.js";
export {
  causalAttention,
  embeddingLookup,
  linear,
  matMul2d,
  registerWasmKernels,
  reluSquared,
  rmsNorm as fusedRmsNorm,
  ropeNormHeads,
  softcapCrossEntropy,
  softmaxCrossEntropy,
  targetLogProbs,
} from "./ops/index.js";
export type { DataParallelOptions, DataParallelTimings } from "./parallel/index.js";
export { DataParallel, sliceBatch, threadCpuMs } from "./parallel/index.js";
export { parameterShapes } from "./parameter-shapes.js";
export { RERUN_HINT } from "./rerun-hint.js";
export { rotaryTables } from "./rotary-tables.js";
export type { NamedArray, SafetensorsContents } from "./safetensors.js";
export { decodeSafetensors, encodeSafetensors, loadSafetensors, saveSafetensors } from "./safetensors.js";
export type { SamplingOptions } from "./sample-token.js";
export { argmax, sampleToken } from "./sample-token.js";
export type { RunOptions, TrainConfig, TrainResult } from "./trainer.js";
export { Trainer, train } from "./trainer.js";
export type { GpuAdapter } from "./webgpu/gpu-adapter.js";
export { adapterLabel } from "./webgpu/gpu-adapter.js";
export { type GpuStackEnvironment, gpuStackHint, vulkanDriverFilesOf } from "./webgpu/gpu-stack-hint.js";
