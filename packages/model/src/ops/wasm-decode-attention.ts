/**
 * Single-query attention kernel for tfjs-backend-wasm (a KV-cached decoding step: one new query
 * per row and head against Tk cached keys). "LlmDecodeAttention": q [B, nh, 1, hs], k, v
 * [B, nh, Tk, hs] -> y [B, nh, 1, hs] = softmax(q k^T / sqrt(hs)) v. It runs the very kernels the
 * plain tf ops of causal-attention.ts dispatch (the stock BatchMatMul, Multiply by the float32
 * scale, Softmax, BatchMatMul), called directly on the backend with the same inputs and
 * attributes, so the result is bit-identical to them; what it saves is the engine's work around
 * each of those four ops and the scale's upload (tracking, scopes, a scalar tensor per layer).
 * Reference: tfjs-core's matMul/mul/softmax ops. Leaves out: several queries (they need a mask;
 * the plain ops do that), gradients (inference only), other dtypes.
 */
import * as tf from "@tensorflow/tfjs-core";
import { f32, type KernelArgs, type WasmBackend } from "./wasm-backend.js";

export const DECODE_ATTENTION_KERNEL = "LlmDecodeAttention";

/** A stock wasm kernel's function (its setup ran when the backend was initialised). */
function stock(name: string): tf.KernelFunc {
  const kernel = tf.getKernel(name, "wasm");
  if (kernel === undefined) throw new Error(`tfjs-backend-wasm has no ${name} kernel`);
  return kernel.kernelFunc;
}

export function wasmDecodeAttention(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { q, k, v } = args.inputs as { q: tf.TensorInfo; k: tf.TensorInfo; v: tf.TensorInfo };
  const hs = q.shape[3] as number;
  const call = (name: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap = {}) =>
    stock(name)({ inputs, backend: backend as unknown as tf.KernelBackend, attrs }) as tf.TensorInfo;
  const scale = backend.makeOutput([], "float32"); // what tf.mul(x, 1 / sqrt(hs)) uploads
  f32(backend, scale)[0] = 1 / Math.sqrt(hs);
  const scores = call("BatchMatMul", { a: q, b: k }, { transposeA: false, transposeB: true }); // [B, nh, 1, Tk]
  const scaled = call("Multiply", { a: scores, b: scale }); // [B, nh, 1, Tk]
  const probs = call("Softmax", { logits: scaled }, { dim: 3 }); // [B, nh, 1, Tk]
  const y = call("BatchMatMul", { a: probs, b: v }, { transposeA: false, transposeB: false }); // [B, nh, 1, hs]
  for (const t of [scale, scores, scaled, probs]) backend.disposeData(t.dataId);
  return y;
}
