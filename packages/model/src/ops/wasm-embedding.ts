/**
 * "LlmEmbedding" for tfjs-backend-wasm: table [V, C] float32, ids [N] int32 -> [N, C], each row
 * one copyWithin of the heap (ids outside [0, V) give a zero row, as tf.gather's wasm kernel
 * does not check them either: callers validate ids). Reference: tf.gather on axis 0. Leaves
 * out: other axes and dtypes.
 */
import type * as tf from "@tensorflow/tfjs-core";
import { f32, i32, type KernelArgs, offsetOf, type WasmBackend } from "./wasm-backend.js";

export const EMBEDDING_KERNEL = "LlmEmbedding";

export function wasmEmbedding(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { table, ids } = args.inputs as { table: tf.TensorInfo; ids: tf.TensorInfo };
  const [V, C] = table.shape as [number, number];
  const N = ids.shape.reduce((a, b) => a * b, 1);
  const out = backend.makeOutput([N, C], "float32"); // may grow the heap: views after it
  const idx = i32(backend, ids);
  const heap = f32(backend, out);
  const all = new Float32Array(heap.buffer); // the whole heap, in floats
  const src = offsetOf(backend, table) / 4;
  const dst = offsetOf(backend, out) / 4;
  for (let n = 0; n < N; n++) {
    const id = idx[n] as number;
    if (id >= 0 && id < V) all.copyWithin(dst + n * C, src + id * C, src + (id + 1) * C);
    else heap.fill(0, n * C, (n + 1) * C);
  }
  return out;
}
