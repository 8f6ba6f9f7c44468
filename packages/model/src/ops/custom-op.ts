/**
 * customOp: tf.customGrad with plain tensor-typed parameters (tfjs types every argument as
 * Tensor | GradSaveFunc, which strict TypeScript cannot narrow). Reference: tf.customGrad.
 *
 * This module also registers tfjs-core's gradient functions for every core kernel: the Node build
 * of @tensorflow/tfjs-core ships without them, so `tf.grad` of a plain `tf.add` would throw
 * "gradient function not found"; tfjs-gradients.generated.js (tfjs-core's register_all_gradients,
 * bundled: tfjs-gradients-bundle.ts) registers them without the @tensorflow/tfjs umbrella. The import sits here,
 * in a module every op uses; package.json's `sideEffects` lists this module and the others that
 * register something (embedding-lookup.ts, register-wasm-kernels.ts, and the dist chunks they
 * are bundled into), so bundlers keep them.
 */
import * as tf from "@tensorflow/tfjs-core";
import "./tfjs-gradients.generated.js";

export type OpBody = (...args: never[]) => {
  value: tf.Tensor;
  gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor | tf.Tensor[];
};

export function customOp(f: OpBody): (...inputs: tf.Tensor[]) => tf.Tensor {
  return tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]) as (
    ...inputs: tf.Tensor[]
  ) => tf.Tensor;
}
