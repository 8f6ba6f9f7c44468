/**
 * Low-level access to tfjs-backend-wasm's heap for our kernels: typed views of a tensor's
 * memory, a 2-D XNNPACK matmul on any slices of the heap (the backend's own BatchMatMul entry,
 * called with temporary tensor ids that point into existing buffers, so a batch of small
 * products runs on the fast path without copies), and a blocked transpose. Reference:
 * tfjs-backend-wasm's backend_wasm.ts / batch_mat_mul_impl.cc. Leaves out: threads (Node runs
 * the single-threaded build), dtypes other than float32/int32.
 */
import type * as tf from "@tensorflow/tfjs-core";

/** The parts of tfjs-backend-wasm's BackendWasm we use (it is not exported as a type). */
export interface WasmBackend {
  wasm: {
    HEAPU8: Uint8Array;
    cwrap(name: string, ret: null, args: string[]): (...args: unknown[]) => void;
    tfjs: {
      registerTensor(id: number, size: number, offset: number): void;
      disposeData(id: number): void;
    };
  };
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number } };
  dataIdNextNumber: number;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object, force?: boolean): boolean;
}

/** Kernel arguments as tfjs passes them. */
export interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}

export function f32(backend: WasmBackend, t: tf.TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(t) as Float32Array;
}

export function i32(backend: WasmBackend, t: tf.TensorInfo): Int32Array {
  return backend.typedArrayFromHeap(t) as Int32Array;
}

/** Byte offset of a tensor's data in the wasm heap. */
export function offsetOf(backend: WasmBackend, t: tf.TensorInfo): number {
  return backend.dataIdMap.get(t.dataId).memoryOffset;
}

const matmulFns = new WeakMap<object, (...args: unknown[]) => void>();

function shapeBytes(a: number, b: number, c: number): Uint8Array {
  return new Uint8Array(new Int32Array([a, b, c]).buffer);
}

/**
 * out[M, N] = a[M, K] @ b[K, N] for float32 slices at byte offsets of the wasm heap, on
 * XNNPACK's fully-connected path. `b` is packed by XNNPACK per call (its operator cache is
 * keyed on the temporary id, which is dropped afterwards).
 */
export function matmulAt(
  backend: WasmBackend,
  aOff: number,
  M: number,
  K: number,
  bOff: number,
  N: number,
  outOff: number,
): void {
  let fn = matmulFns.get(backend.wasm);
  if (fn === undefined) {
    fn = backend.wasm.cwrap("BatchMatMul", null, [
      "number",
      "array",
      "number",
      "number",
      "array",
      "number",
      "number",
      "number",
      "number",
    ]);
    matmulFns.set(backend.wasm, fn);
  }
  const reg = backend.wasm.tfjs;
  const aId = backend.dataIdNextNumber++;
  const bId = backend.dataIdNextNumber++;
  const oId = backend.dataIdNextNumber++;
  reg.registerTensor(aId, M * K, aOff);
  reg.registerTensor(bId, K * N, bOff);
  reg.registerTensor(oId, M * N, outOff);
  fn(aId, shapeBytes(1, M, K), 3, bId, shapeBytes(1, K, N), 3, false, false, oId);
  reg.disposeData(aId);
  reg.disposeData(bId);
  reg.disposeData(oId);
}

/** dst[b, c, r] = src[b, r, c] for `batch` row-major [rows, cols] matrices (blocked). */
export function transposeInto(
  src: Float32Array | Int32Array,
  srcStart: number,
  dst: Float32Array | Int32Array,
  dstStart: number,
  batch: number,
  rows: number,
  cols: number,
): void {
  const BS = 32;
  const size = rows * cols;
  for (let b = 0; b < batch; b++) {
    const s0 = srcStart + b * size;
    const d0 = dstStart + b * size;
    for (let r0 = 0; r0 < rows; r0 += BS) {
      const r1 = Math.min(r0 + BS, rows);
      for (let c0 = 0; c0 < cols; c0 += BS) {
        const c1 = Math.min(c0 + BS, cols);
        for (let r = r0; r < r1; r++) {
          const so = s0 + r * cols;
          for (let c = c0; c < c1; c++) dst[d0 + c * rows + r] = src[so + c] as number;
        }
      }
    }
  }
}
