/**
 * Fused pointwise kernels for tfjs-backend-wasm, each one JS pass over the wasm heap instead of
 * 5-15 separate tfjs kernels (every one of which allocates, and clones what the tape saves):
 * parameter-free RMSNorm and its gradient, ReLU^2 and its gradient, and the attention input
 * preparation (split heads + half-split RoPE + per-head RMSNorm, and its gradient). Also an
 * Identity that shares memory instead of copying (the tape clones every saved tensor through it).
 * RMSNorm, ReLU^2, RoPE + QK-norm (half a head a multiple of 4) and AdamW run vectorised in our SIMD module (simd/) when it loads and the
 * widths are multiples of 4. Reference: nanochat's norm/rotary, llm.c's fused kernels. Leaves
 * out: learned norm scales.
 */
import type * as tf from "@tensorflow/tfjs-core";
import type { AdamWUpdateConfig } from "./adamw-update.js";
import { type SimdExports, simdKernels } from "./simd/simd-kernels.js";
import { f32, type KernelArgs, offsetOf, type WasmBackend } from "./wasm-backend.js";

/** The SIMD module's exports when it runs here and `size` (elements per vector loop) fits. */
function simd(backend: WasmBackend, size: number): SimdExports | undefined {
  return size > 0 && size % 4 === 0 ? simdKernels(backend)?.exports : undefined;
}

export const RMS_NORM_KERNEL = "LlmRmsNorm";
export const RMS_NORM_GRAD_KERNEL = "LlmRmsNormGrad";
export const RELU2_KERNEL = "LlmRelu2";
export const RELU2_GRAD_KERNEL = "LlmRelu2Grad";
export const ROPE_NORM_KERNEL = "LlmRopeNormHeads";
export const ROPE_NORM_GRAD_KERNEL = "LlmRopeNormHeadsGrad";

type Attrs = Record<string, number>;

function rows(shape: number[]): [number, number] {
  const D = shape[shape.length - 1] as number;
  return [shape.reduce((a, b) => a * b, 1) / D, D];
}

/** y = x / sqrt(mean(x^2) + eps) over the last axis; also 1/rms per row. */
export function wasmRmsNorm(args: KernelArgs): tf.TensorInfo[] {
  const backend = args.backend as WasmBackend;
  const x = args.inputs.x as tf.TensorInfo;
  const eps = (args.attrs as Attrs).eps as number;
  const [R, D] = rows(x.shape);
  const y = backend.makeOutput(x.shape, "float32");
  const r = backend.makeOutput([R], "float32");
  const k = R > 0 ? simd(backend, D) : undefined;
  if (k !== undefined) {
    k.rmsNorm(R, D, offsetOf(backend, x), offsetOf(backend, y), offsetOf(backend, r), eps);
    return [y, r];
  }
  const xs = f32(backend, x);
  const ys = f32(backend, y);
  const rs = f32(backend, r);
  for (let i = 0; i < R; i++) {
    const o = i * D;
    let ss = 0;
    for (let j = 0; j < D; j++) {
      const v = xs[o + j] as number;
      ss += v * v;
    }
    const inv = 1 / Math.sqrt(ss / D + eps);
    rs[i] = inv;
    for (let j = 0; j < D; j++) ys[o + j] = (xs[o + j] as number) * inv;
  }
  return [y, r];
}

/** dx = r * (dy - y * mean(dy * y)) per row. */
export function wasmRmsNormGrad(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { dy, y, r } = args.inputs as Record<string, tf.TensorInfo>;
  const [R, D] = rows((y as tf.TensorInfo).shape);
  const dx = backend.makeOutput((y as tf.TensorInfo).shape, "float32");
  const k = R > 0 ? simd(backend, D) : undefined;
  if (k !== undefined) {
    const o = (t: tf.TensorInfo | undefined) => offsetOf(backend, t as tf.TensorInfo);
    k.rmsNormGrad(R, D, o(dy), o(y), o(r), o(dx));
    return dx;
  }
  const g = f32(backend, dy as tf.TensorInfo);
  const ys = f32(backend, y as tf.TensorInfo);
  const rs = f32(backend, r as tf.TensorInfo);
  const out = f32(backend, dx);
  for (let i = 0; i < R; i++) {
    const o = i * D;
    let dot = 0;
    for (let j = 0; j < D; j++) dot += (g[o + j] as number) * (ys[o + j] as number);
    dot /= D;
    const inv = rs[i] as number;
    for (let j = 0; j < D; j++) out[o + j] = inv * ((g[o + j] as number) - (ys[o + j] as number) * dot);
  }
  return dx;
}

export function wasmRelu2(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const x = args.inputs.x as tf.TensorInfo;
  const y = backend.makeOutput(x.shape, "float32");
  const n = x.shape.reduce((a, b) => a * b, 1);
  const k = simd(backend, n);
  if (k !== undefined) {
    k.relu2(n, offsetOf(backend, x), offsetOf(backend, y));
    return y;
  }
  const xs = f32(backend, x);
  const ys = f32(backend, y);
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i] as number;
    ys[i] = v > 0 ? v * v : 0;
  }
  return y;
}

export function wasmRelu2Grad(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { x, dy } = args.inputs as Record<string, tf.TensorInfo>;
  const dx = backend.makeOutput((x as tf.TensorInfo).shape, "float32");
  const n = (x as tf.TensorInfo).shape.reduce((a, b) => a * b, 1);
  const k = simd(backend, n);
  if (k !== undefined) {
    const o = (t: tf.TensorInfo | undefined) => offsetOf(backend, t as tf.TensorInfo);
    k.relu2Grad(n, o(x), o(dy), o(dx));
    return dx;
  }
  const xs = f32(backend, x as tf.TensorInfo);
  const g = f32(backend, dy as tf.TensorInfo);
  const out = f32(backend, dx);
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i] as number;
    out[i] = v > 0 ? 2 * v * (g[i] as number) : 0;
  }
  return dx;
}

/**
 * x [B*T, nh*hs] -> y [B, nh, T, hs]: per head, half-split rotation by cos/sin [T, hs/2]
 * (x1 c + x2 s, -x1 s + x2 c), then RMSNorm over hs; also 1/rms per (b, h, t).
 */
export function wasmRopeNormHeads(args: KernelArgs): tf.TensorInfo[] {
  const backend = args.backend as WasmBackend;
  const { x, cos, sin } = args.inputs as Record<string, tf.TensorInfo>;
  const { B, T, nh, eps } = args.attrs as Attrs as { B: number; T: number; nh: number; eps: number };
  const C = (x as tf.TensorInfo).shape[1] as number;
  const hs = C / nh;
  const half = hs / 2;
  const y = backend.makeOutput([B, nh, T, hs], "float32");
  const r = backend.makeOutput([B * nh * T], "float32");
  const k = B * T * nh > 0 ? simd(backend, hs / 2) : undefined; // half a head a multiple of 4
  if (k !== undefined) {
    const o = (t: tf.TensorInfo | undefined) => offsetOf(backend, t as tf.TensorInfo);
    k.ropeNorm(B, T, nh, hs, o(x), o(cos), o(sin), o(y), o(r), eps);
    return [y, r];
  }
  const xs = f32(backend, x as tf.TensorInfo);
  const cs = f32(backend, cos as tf.TensorInfo);
  const sn = f32(backend, sin as tf.TensorInfo);
  const ys = f32(backend, y);
  const rs = f32(backend, r);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const row = (b * T + t) * C;
      const ct = t * half;
      for (let h = 0; h < nh; h++) {
        const src = row + h * hs;
        const ri = (b * nh + h) * T + t;
        const dst = ri * hs;
        let ss = 0;
        for (let j = 0; j < half; j++) {
          const x1 = xs[src + j] as number;
          const x2 = xs[src + half + j] as number;
          const c = cs[ct + j] as number;
          const s = sn[ct + j] as number;
          const y1 = x1 * c + x2 * s;
          const y2 = x2 * c - x1 * s;
          ys[dst + j] = y1;
          ys[dst + half + j] = y2;
          ss += y1 * y1 + y2 * y2;
        }
        const inv = 1 / Math.sqrt(ss / hs + eps);
        rs[ri] = inv;
        for (let j = 0; j < hs; j++) ys[dst + j] = (ys[dst + j] as number) * inv;
      }
    }
  }
  return [y, r];
}

/** Gradient of wasmRopeNormHeads: dy [B, nh, T, hs] -> dx [B*T, nh*hs]. */
export function wasmRopeNormHeadsGrad(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { dy, y, r, cos, sin } = args.inputs as Record<string, tf.TensorInfo>;
  const [B, nh, T, hs] = (y as tf.TensorInfo).shape as [number, number, number, number];
  const C = nh * hs;
  const half = hs / 2;
  const dx = backend.makeOutput([B * T, C], "float32");
  const k = B * T * nh > 0 ? simd(backend, half) : undefined;
  if (k !== undefined) {
    const o = (t: tf.TensorInfo | undefined) => offsetOf(backend, t as tf.TensorInfo);
    k.ropeNormGrad(B, T, nh, hs, o(dy), o(y), o(r), o(cos), o(sin), o(dx));
    return dx;
  }
  const g = f32(backend, dy as tf.TensorInfo);
  const ys = f32(backend, y as tf.TensorInfo);
  const rs = f32(backend, r as tf.TensorInfo);
  const cs = f32(backend, cos as tf.TensorInfo);
  const sn = f32(backend, sin as tf.TensorInfo);
  const out = f32(backend, dx);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < nh; h++) {
      for (let t = 0; t < T; t++) {
        const ri = (b * nh + h) * T + t;
        const src = ri * hs;
        const dst = (b * T + t) * C + h * hs;
        const ct = t * half;
        let dot = 0;
        for (let j = 0; j < hs; j++) dot += (g[src + j] as number) * (ys[src + j] as number);
        dot /= hs;
        const inv = rs[ri] as number;
        for (let j = 0; j < half; j++) {
          const dz1 = inv * ((g[src + j] as number) - (ys[src + j] as number) * dot);
          const dz2 = inv * ((g[src + half + j] as number) - (ys[src + half + j] as number) * dot);
          const c = cs[ct + j] as number;
          const s = sn[ct + j] as number;
          out[dst + j] = dz1 * c - dz2 * s;
          out[dst + half + j] = dz1 * s + dz2 * c;
        }
      }
    }
  }
  return dx;
}

/** Identity that shares the input's memory (reference-counted) instead of copying it. */
export function wasmIdentityShared(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackend & { incRef(dataId: object): void };
  const x = args.inputs.x as tf.TensorInfo;
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export const ADAMW_KERNEL = "LlmAdamW";

/** One AdamW update (see adamw-update.ts): outputs param', m', v'. */
export function wasmAdamW(args: KernelArgs): tf.TensorInfo[] {
  const backend = args.backend as WasmBackend;
  const { param, grad, m, v } = args.inputs as Record<string, tf.TensorInfo>;
  const { lr, beta1, beta2, eps, weightDecay, bc1, bc2 } =
    args.attrs as Attrs as unknown as AdamWUpdateConfig;
  const shape = (param as tf.TensorInfo).shape;
  const pOut = backend.makeOutput(shape, "float32");
  const mOut = backend.makeOutput(shape, "float32");
  const vOut = backend.makeOutput(shape, "float32");
  const n = shape.reduce((a, b) => a * b, 1);
  const k = simd(backend, n);
  if (k !== undefined) {
    const o = (t: tf.TensorInfo | undefined) => offsetOf(backend, t as tf.TensorInfo);
    k.adamw(
      n,
      o(param),
      o(grad),
      o(m),
      o(v),
      o(pOut),
      o(mOut),
      o(vOut),
      lr,
      beta1,
      beta2,
      eps,
      1 - lr * weightDecay,
      1 / bc1,
      1 / bc2,
    );
    return [pOut, mOut, vOut];
  }
  const p = f32(backend, param as tf.TensorInfo);
  const g = f32(backend, grad as tf.TensorInfo);
  const m0 = f32(backend, m as tf.TensorInfo);
  const v0 = f32(backend, v as tf.TensorInfo);
  const p1 = f32(backend, pOut);
  const m1 = f32(backend, mOut);
  const v1 = f32(backend, vOut);
  const decay = 1 - lr * weightDecay;
  const ib1 = 1 / bc1;
  const ib2 = 1 / bc2;
  for (let i = 0; i < p.length; i++) {
    const gi = g[i] as number;
    const mi = beta1 * (m0[i] as number) + (1 - beta1) * gi;
    const vi = beta2 * (v0[i] as number) + (1 - beta2) * gi * gi;
    m1[i] = mi;
    v1[i] = vi;
    p1[i] = (p[i] as number) * decay - (lr * (mi * ib1)) / (Math.sqrt(vi * ib2) + eps);
  }
  return [pOut, mOut, vOut];
}
