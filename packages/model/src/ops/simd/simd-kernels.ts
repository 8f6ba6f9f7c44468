/**
 * simdKernels(backend): our SIMD wasm kernels (llm-kernels-fma.wasm or llm-kernels-simd.wasm,
 * built by scripts/build-simd-kernels.ts from simd-kernels-source.ts) instantiated over
 * tfjs-backend-wasm's own memory, so they read and write tensors in place. Relaxed SIMD (fused
 * multiply-add) is switched on in V8 when the running Node has it behind a flag (Node 20:
 * --experimental-wasm-relaxed-simd) and used when the module validates; otherwise the plain SIMD
 * build runs. Returns undefined when the backend's memory cannot be shared (a threaded build),
 * and the callers keep their JS/XNNPACK paths. Reference: WebAssembly JS API (imported
 * memory). Leaves out: browsers (the module files are read with node:fs; elsewhere the bytes
 * are rebuilt from the source, which gives the same module).
 */
import { readFileSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import type { WasmBackend } from "../wasm-backend.js";
import { buildSimdKernels, DEFAULT_MR } from "./simd-kernels-source.js";

/** The exports of the module (byte addresses into the tfjs heap). */
export interface SimdExports {
  gemm(
    M: number,
    N: number,
    K: number,
    a: number,
    aRow: number,
    aK: number,
    b: number,
    bK: number,
    bN: number,
    c: number,
    cRow: number,
    pack: number,
    /** 0, or scratch of M * K floats: a transposed A (aRow 4) is packed there first. */
    packA: number,
  ): void;
  softmaxCrossEntropy(
    N: number,
    V: number,
    x: number,
    targets: number,
    weights: number,
    g: number,
    e: number,
    stats: number,
    cap: number,
  ): void;
  attentionSoftmax(BH: number, T: number, p: number, scale: number): void;
  attentionSoftmaxGrad(rows: number, T: number, p: number, d: number, scale: number): void;
  relu2(n: number, x: number, y: number): void;
  /** out = x a + y b (n a multiple of 4; out may be y). */
  weightedSum(n: number, x: number, a: number, y: number, b: number, out: number): void;
  relu2Grad(n: number, x: number, dy: number, dx: number): void;
  rmsNorm(R: number, D: number, x: number, y: number, r: number, eps: number): void;
  rmsNormGrad(R: number, D: number, dy: number, y: number, r: number, dx: number): void;
  ropeNorm(
    B: number,
    T: number,
    nh: number,
    hs: number,
    x: number,
    cos: number,
    sin: number,
    y: number,
    r: number,
    eps: number,
  ): void;
  ropeNormGrad(
    B: number,
    T: number,
    nh: number,
    hs: number,
    dy: number,
    y: number,
    r: number,
    cos: number,
    sin: number,
    dx: number,
  ): void;
  adamw(
    n: number,
    p: number,
    g: number,
    m: number,
    v: number,
    pOut: number,
    mOut: number,
    vOut: number,
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
    decay: number,
    ib1: number,
    ib2: number,
  ): void;
}

export interface SimdKernels {
  exports: SimdExports;
  /** "fma" (relaxed SIMD) or "simd". */
  variant: "fma" | "simd";
}

export const KERNEL_FILES = { fma: "llm-kernels-fma.wasm", simd: "llm-kernels-simd.wasm" } as const;

let relaxedTried = false;

/** The committed module bytes of a variant (read next to this file, or from the package's src/ when bundled). */
function moduleBytes(variant: "fma" | "simd"): Uint8Array {
  const file = KERNEL_FILES[variant];
  for (const rel of [`./${file}`, `../src/ops/simd/${file}`]) {
    try {
      return new Uint8Array(readFileSync(new URL(rel, import.meta.url)));
    } catch {
      // next candidate
    }
  }
  return buildSimdKernels({ fma: variant === "fma", mr: DEFAULT_MR });
}

/** The WebAssembly JS API (this package's lib settings type it as a namespace only). */
interface WasmApi {
  Memory: abstract new (...args: never[]) => { buffer: ArrayBufferLike };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  validate(bytes: Uint8Array): boolean;
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

const cache = new WeakMap<object, SimdKernels | null>();

/** The kernels bound to this backend's heap, or undefined when they cannot run there. */
export function simdKernels(backend: WasmBackend): SimdKernels | undefined {
  const key = backend.wasm;
  const hit = cache.get(key);
  if (hit !== undefined) return hit ?? undefined;
  let result: SimdKernels | null = null;
  const memory = (backend.wasm as unknown as { asm?: { memory?: unknown } }).asm?.memory;
  const usable =
    memory instanceof WA.Memory &&
    !(typeof SharedArrayBuffer !== "undefined" && memory.buffer instanceof SharedArrayBuffer);
  if (usable) {
    if (!relaxedTried) {
      relaxedTried = true;
      try {
        setFlagsFromString("--experimental-wasm-relaxed-simd");
      } catch {
        // not this V8: the plain SIMD build runs
      }
    }
    for (const variant of ["fma", "simd"] as const) {
      const bytes = moduleBytes(variant);
      if (!WA.validate(bytes)) continue;
      const instance = new WA.Instance(new WA.Module(bytes), { env: { memory } });
      result = { exports: instance.exports as unknown as SimdExports, variant };
      break;
    }
  }
  cache.set(key, result);
  return result ?? undefined;
}
