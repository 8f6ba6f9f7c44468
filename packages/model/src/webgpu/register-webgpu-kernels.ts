/**
 * registerWebGpuKernels: registers our fused kernels for tfjs-backend-webgpu under the same
 * kernel names and contracts as the wasm ones, written in WGSL: causal attention forward and
 * backward (webgpu-attention.ts) and the softcapped softmax cross-entropy with its gradient
 * (webgpu-cross-entropy.ts). The other ops (RMSNorm, RoPE + QK-norm, ReLU², AdamW, embedding)
 * take their plain tf path, whose kernels the backend has. Idempotent. Reference:
 * tfjs-backend-webgpu's kernel registry and WebGPUProgram. Leaves out: f16, fused RMSNorm/AdamW.
 */
import * as tf from "@tensorflow/tfjs-core";
import { ATTENTION_BWD_KERNEL, ATTENTION_FWD_KERNEL } from "../ops/wasm-attention.js";
import { SOFTMAX_CE_KERNEL } from "../ops/wasm-cross-entropy.js";
import { webgpuAttentionBwd, webgpuAttentionFwd } from "./webgpu-attention.js";
import { webgpuSoftmaxCrossEntropy } from "./webgpu-cross-entropy.js";

function register(name: string, fn: (args: never) => tf.TensorInfo[]): void {
  if (tf.getKernel(name, "webgpu") !== undefined) return;
  tf.registerKernel({ kernelName: name, backendName: "webgpu", kernelFunc: fn as unknown as tf.KernelFunc });
}

/** Registers the fused webgpu kernels once; later calls do nothing. */
export function registerWebGpuKernels(): void {
  register(ATTENTION_FWD_KERNEL, webgpuAttentionFwd);
  register(ATTENTION_BWD_KERNEL, webgpuAttentionBwd);
  register(SOFTMAX_CE_KERNEL, webgpuSoftmaxCrossEntropy);
}

/** True when the active backend is webgpu and our fused kernels are registered for it. */
export function onWebGpu(): boolean {
  return tf.getBackend() === "webgpu" && tf.getKernel(SOFTMAX_CE_KERNEL, "webgpu") !== undefined;
}
