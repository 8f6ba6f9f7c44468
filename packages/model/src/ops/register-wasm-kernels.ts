/**
 * registerWasmKernels: registers, for tfjs-backend-wasm, the kernels training needs that the
 * backend lacks (UnsortedSegmentSum, used by the gradient of `tf.gather`), a faster Transpose
 * for matmul-gradient shapes, and our fused kernels (softmax cross-entropy, causal attention,
 * a decoding step's KV-cache append and single-query attention).
 * All are plain JS over the wasm heap plus XNNPACK matmuls. Idempotent. Reference: tfjs-core's
 * kernel registry. Leaves out: threading (Node runs wasm single-threaded; see src/parallel/).
 */
import "./tfjs-gradients.generated.js"; // registers tfjs-core's gradient functions (see custom-op.ts)
import * as tf from "@tensorflow/tfjs-core";
import {
  ATTENTION_BWD_KERNEL,
  ATTENTION_FWD_KERNEL,
  wasmAttentionBwd,
  wasmAttentionFwd,
} from "./wasm-attention.js";
import { i32, type KernelArgs, type WasmBackend } from "./wasm-backend.js";
import {
  SOFTMAX_CE_KERNEL,
  TARGET_LOG_PROBS_KERNEL,
  wasmSoftmaxCrossEntropy,
  wasmTargetLogProbs,
} from "./wasm-cross-entropy.js";
import { DECODE_ATTENTION_KERNEL, wasmDecodeAttention } from "./wasm-decode-attention.js";
import { EMBEDDING_KERNEL, wasmEmbedding } from "./wasm-embedding.js";
import { KV_APPEND_KERNEL, wasmKvAppend } from "./wasm-kv-append.js";
import { MATMUL_KERNEL, wasmMatMul } from "./wasm-matmul.js";
import {
  ADAMW_KERNEL,
  RELU2_GRAD_KERNEL,
  RELU2_KERNEL,
  RMS_NORM_GRAD_KERNEL,
  RMS_NORM_KERNEL,
  ROPE_NORM_GRAD_KERNEL,
  ROPE_NORM_KERNEL,
  wasmAdamW,
  wasmIdentityShared,
  wasmRelu2,
  wasmRelu2Grad,
  wasmRmsNorm,
  wasmRmsNormGrad,
  wasmRopeNormHeads,
  wasmRopeNormHeadsGrad,
} from "./wasm-pointwise.js";
import {
  SMEAR_KEYS_GRAD_KERNEL,
  SMEAR_KEYS_KERNEL,
  wasmSmearKeys,
  wasmSmearKeysGrad,
} from "./wasm-smear-keys.js";
import { makeWasmTranspose } from "./wasm-transpose.js";

/** out[seg[i], :] += x[i, :]; x [N, ...inner], seg [N] -> [numSegments, ...inner]. */
function unsortedSegmentSumWasm(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const x = args.inputs.x as tf.TensorInfo;
  const segmentIds = args.inputs.segmentIds as tf.TensorInfo;
  const numSegments = (args.attrs as { numSegments: number }).numSegments;
  const rows = segmentIds.shape.reduce((a, b) => a * b, 1);
  const inner = x.shape.slice(segmentIds.shape.length);
  const width = inner.reduce((a, b) => a * b, 1);
  const out = backend.makeOutput([numSegments, ...inner], x.dtype);
  const dst = backend.typedArrayFromHeap(out);
  dst.fill(0);
  const src = backend.typedArrayFromHeap(x);
  const ids = i32(backend, segmentIds);
  for (let r = 0; r < rows; r++) {
    const s = ids[r] as number;
    if (s < 0 || s >= numSegments) continue;
    const so = r * width;
    const d = s * width;
    for (let j = 0; j < width; j++) dst[d + j] = (dst[d + j] as number) + (src[so + j] as number);
  }
  return out;
}

let overridesInstalled = false;

function register(name: string, fn: (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[]): void {
  if (tf.getKernel(name, "wasm") !== undefined) return;
  tf.registerKernel({ kernelName: name, backendName: "wasm", kernelFunc: fn as unknown as tf.KernelFunc });
}

/** Registers the missing and fused wasm kernels once; later calls do nothing. */
export function registerWasmKernels(): void {
  register("UnsortedSegmentSum", unsortedSegmentSumWasm);
  register(SOFTMAX_CE_KERNEL, wasmSoftmaxCrossEntropy);
  register(ATTENTION_FWD_KERNEL, wasmAttentionFwd);
  register(ATTENTION_BWD_KERNEL, wasmAttentionBwd);
  register(RMS_NORM_KERNEL, wasmRmsNorm);
  register(RMS_NORM_GRAD_KERNEL, wasmRmsNormGrad);
  register(RELU2_KERNEL, wasmRelu2);
  register(RELU2_GRAD_KERNEL, wasmRelu2Grad);
  register(ROPE_NORM_KERNEL, wasmRopeNormHeads);
  register(ROPE_NORM_GRAD_KERNEL, wasmRopeNormHeadsGrad);
  register(ADAMW_KERNEL, wasmAdamW);
  register(SMEAR_KEYS_KERNEL, wasmSmearKeys);
  register(EMBEDDING_KERNEL, wasmEmbedding);
  register(TARGET_LOG_PROBS_KERNEL, wasmTargetLogProbs);
  register(SMEAR_KEYS_GRAD_KERNEL, wasmSmearKeysGrad);
  register(MATMUL_KERNEL, wasmMatMul);
  register(KV_APPEND_KERNEL, wasmKvAppend);
  register(DECODE_ATTENTION_KERNEL, wasmDecodeAttention);
  // overrides need the stock wasm kernels loaded (import @tensorflow/tfjs-backend-wasm first)
  if (!overridesInstalled && tf.getKernel("Transpose", "wasm") !== undefined) {
    overridesInstalled = true;
    // the tape clones every tensor it saves through Identity; share memory instead of copying
    if (tf.getKernel("Identity", "wasm") !== undefined) tf.unregisterKernel("Identity", "wasm");
    tf.registerKernel({
      kernelName: "Identity",
      backendName: "wasm",
      kernelFunc: wasmIdentityShared as unknown as tf.KernelFunc,
    });
    const stock = tf.getKernel("Transpose", "wasm");
    if (stock !== undefined) tf.unregisterKernel("Transpose", "wasm");
    tf.registerKernel({
      kernelName: "Transpose",
      backendName: "wasm",
      setupFunc: stock?.setupFunc,
      kernelFunc: makeWasmTranspose(stock?.kernelFunc),
    });
  }
}

/**
 * True when `name` is registered for wasm: the decoding kernels (KV append, single-query
 * attention) are used only then, so a benchmark can unregister one to time the plain ops.
 */
export function hasKernel(name: string): boolean {
  return tf.getKernel(name, "wasm") !== undefined;
}

/** True when the active backend is wasm and our kernels are registered. */
export function onWasm(): boolean {
  return tf.getBackend() === "wasm" && tf.getKernel(SOFTMAX_CE_KERNEL, "wasm") !== undefined;
}
