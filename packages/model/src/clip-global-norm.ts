/**
 * clipGlobalNorm: scales a set of gradients so that their joint L2 norm is at most `maxNorm`,
 * and reports the norm before clipping. On wasm the sync norm is one float64 pass over the
 * gradients' heap memory (~80 tf ops and a read-back otherwise). Reference:
 * torch.nn.utils.clip_grad_norm_. Leaves out: per-parameter and value clipping, non-L2 norms.
 */
import * as tf from "@tensorflow/tfjs-core";
import { onWasm } from "./ops/register-wasm-kernels.js";
import { f32, type WasmBackend } from "./ops/wasm-backend.js";

/** Named gradients, keyed like model.parameters(). */
export type Gradients = Map<string, tf.Tensor>;

// Pairwise adds, not tf.addN: webgpu's AddN binds every input at once and fails past the
// device's 8 storage buffers per shader stage.
function sumOfSquares(grads: ReadonlyMap<string, tf.Tensor>): tf.Scalar {
  return tf.tidy(() =>
    [...grads.values()].map((g) => tf.sum(tf.square(g))).reduce((a, b) => tf.add(a, b)),
  ) as tf.Scalar; // []
}

/** Sum of squares read in place from wasm's heap, or undefined off wasm / for other dtypes. */
function wasmSumOfSquares(grads: ReadonlyMap<string, tf.Tensor>): number | undefined {
  if (!onWasm()) return undefined;
  const backend = tf.backend() as unknown as WasmBackend;
  let total = 0;
  for (const g of grads.values()) {
    if (g.dtype !== "float32") return undefined;
    const a = f32(backend, g);
    let s = 0;
    for (let j = 0; j < a.length; j++) s += (a[j] as number) * (a[j] as number);
    total += s;
  }
  return total;
}

/** The global L2 norm of all gradients (a sync point: reads one number back with dataSync; CPU backends). */
export function globalNorm(grads: ReadonlyMap<string, tf.Tensor>): number {
  if (grads.size === 0) return 0;
  const direct = wasmSumOfSquares(grads);
  if (direct !== undefined) return Math.sqrt(direct);
  const total = sumOfSquares(grads);
  const value = total.dataSync()[0] as number;
  total.dispose();
  return Math.sqrt(value);
}

/** globalNorm read with `await data()`: works on every backend, webgpu too. */
export async function globalNormAsync(grads: ReadonlyMap<string, tf.Tensor>): Promise<number> {
  if (grads.size === 0) return 0;
  const total = sumOfSquares(grads);
  const value = (await total.data())[0] as number;
  total.dispose();
  return Math.sqrt(value);
}

/**
 * Clips in place: when the norm exceeds maxNorm (> 0), every tensor in `grads` is replaced by a
 * scaled copy and the original disposed. Returns the same map and the norm before clipping.
 */
export function clipGlobalNorm(grads: Gradients, maxNorm: number): { grads: Gradients; norm: number } {
  return scaleToNorm(grads, globalNorm(grads), maxNorm);
}

/** clipGlobalNorm with the norm read by `await data()` (every backend, webgpu too). */
export async function clipGlobalNormAsync(
  grads: Gradients,
  maxNorm: number,
): Promise<{ grads: Gradients; norm: number }> {
  return scaleToNorm(grads, await globalNormAsync(grads), maxNorm);
}

function scaleToNorm(grads: Gradients, norm: number, maxNorm: number): { grads: Gradients; norm: number } {
  if (maxNorm > 0 && norm > maxNorm) {
    const scale = maxNorm / (norm + 1e-6);
    for (const [name, g] of grads) {
      grads.set(name, tf.mul(g, scale));
      g.dispose();
    }
  }
  return { grads, norm };
}

/** Alias of clipGlobalNorm under the trainer's step name. */
export const clipGradients = clipGlobalNorm;

/** Disposes every gradient tensor. */
export function disposeGradients(grads: ReadonlyMap<string, tf.Tensor>): void {
  for (const g of grads.values()) g.dispose();
}
