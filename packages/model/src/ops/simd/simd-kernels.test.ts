/**
 * Our SIMD wasm module: the committed .wasm files are what scripts/build-simd-kernels.ts builds
 * from simd-kernels-source.ts today, both variants validate where they should, and the GEMM
 * equals a float64 reference for every operand layout (both builds, run over tfjs-backend-wasm's
 * memory).
 */
import { readFileSync } from "node:fs";
import "@tensorflow/tfjs-backend-wasm";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { registerWasmKernels } from "../register-wasm-kernels.js";
import { offsetOf, type WasmBackend } from "../wasm-backend.js";
import { KERNEL_FILES, type SimdExports, simdKernels } from "./simd-kernels.js";
import { buildSimdKernels, DEFAULT_MR } from "./simd-kernels-source.js";

const WA = (
  globalThis as unknown as {
    WebAssembly: {
      Module: new (b: Uint8Array) => object;
      Instance: new (m: object, i: object) => { exports: unknown };
    };
  }
).WebAssembly;

describe("SIMD wasm kernels", () => {
  let backend: WasmBackend;
  beforeAll(async () => {
    await tf.setBackend("wasm");
    await tf.ready();
    registerWasmKernels();
    backend = tf.backend() as unknown as WasmBackend;
  });

  for (const variant of ["fma", "simd"] as const) {
    it(`the committed ${KERNEL_FILES[variant]} equals a rebuild from the source`, () => {
      const committed = new Uint8Array(readFileSync(new URL(`./${KERNEL_FILES[variant]}`, import.meta.url)));
      const rebuilt = buildSimdKernels({ fma: variant === "fma", mr: DEFAULT_MR });
      expect(Buffer.from(committed).equals(Buffer.from(rebuilt))).toBe(true);
    });
  }

  it("load on the wasm backend (relaxed SIMD on Node 20 through its V8 flag)", () => {
    const k = simdKernels(backend);
    expect(k).toBeDefined();
    expect(k?.variant).toBe("fma");
  });

  for (const variant of ["fma", "simd"] as const) {
    it(`${variant}: gemm equals a float64 product for every transpose, A^T packed or read in place, odd rows and depth`, () => {
      const memory = (backend.wasm as unknown as { asm: { memory: object } }).asm.memory;
      const bytes = buildSimdKernels({ fma: variant === "fma", mr: DEFAULT_MR });
      const gemm = (new WA.Instance(new WA.Module(bytes), { env: { memory } }).exports as SimdExports).gemm;
      const [M, K, N] = [11, 37, 24];
      for (const [ta, tb, packA] of [
        [false, false, false],
        [true, false, false],
        [true, false, true],
        [false, true, false],
        [true, true, false],
        [true, true, true],
      ] as const) {
        tf.tidy(() => {
          const a = tf.randomNormal(ta ? [K, M] : [M, K], 0, 1, "float32", 1);
          const b = tf.randomNormal(tb ? [N, K] : [K, N], 0, 1, "float32", 2);
          const c = tf.zeros([M, N]);
          const pack = tf.zeros([K * N]);
          const packed = tf.zeros([K * M]); // A^T's panels when packA
          const av = a.dataSync();
          const bv = b.dataSync();
          gemm(
            M,
            N,
            K,
            offsetOf(backend, a),
            ta ? 4 : K * 4,
            ta ? M * 4 : 4,
            offsetOf(backend, b),
            tb ? 4 : N * 4,
            tb ? K * 4 : 4,
            offsetOf(backend, c),
            N * 4,
            offsetOf(backend, pack),
            packA ? offsetOf(backend, packed) : 0,
          );
          const got = c.dataSync();
          for (let i = 0; i < M; i++) {
            for (let j = 0; j < N; j++) {
              let ref = 0;
              for (let k = 0; k < K; k++) {
                const x = av[ta ? k * M + i : i * K + k] as number;
                const y = bv[tb ? j * K + k : k * N + j] as number;
                ref += x * y;
              }
              expect(Math.abs((got[i * N + j] as number) - ref)).toBeLessThan(2e-5 * Math.sqrt(K) * 4);
            }
          }
        });
      }
    });
  }

  for (const variant of ["fma", "simd"] as const) {
    it(`${variant}: weightedSum equals JS's float32 x a + y b for float32 a and a power-of-two b, in place over y`, () => {
      const memory = (backend.wasm as unknown as { asm: { memory: object } }).asm.memory;
      const bytes = buildSimdKernels({ fma: variant === "fma", mr: DEFAULT_MR });
      const { weightedSum } = new WA.Instance(new WA.Module(bytes), { env: { memory } })
        .exports as SimdExports;
      const n = 1000;
      const xs = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 1.7) * 3);
      const ys = Float32Array.from({ length: n }, (_, i) => Math.cos(i * 0.3) / 7);
      const x = tf.tensor1d(xs);
      const y = tf.tensor1d(ys);
      for (const [a, b] of [
        [0.5, 0.5],
        [0.75, 0.25],
        [Math.fround(0.3), 0.125],
      ] as const) {
        const out = tf.tensor1d(ys);
        weightedSum(n, offsetOf(backend, x), a, offsetOf(backend, out), b, offsetOf(backend, out));
        const got = out.dataSync();
        const want = new Float32Array(n);
        for (let j = 0; j < n; j++) want[j] = Math.fround((xs[j] as number) * a) + (ys[j] as number) * b;
        expect(Array.from(got)).toEqual(Array.from(want)); // bit-equal (toEqual on numbers is exact)
        out.dispose();
      }
      tf.dispose([x, y]);
    });
  }
});
