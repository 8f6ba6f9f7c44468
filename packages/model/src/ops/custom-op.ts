/**
 * customOp: tf.customGrad with plain tensor-typed parameters (tfjs types every argument as
 * Tensor | GradSaveFunc, which strict TypeScript cannot narrow). Reference: tf.customGrad.
 *
 * This module also registers tfjs's gradient functions for every core kernel: the Node build of
 * @tensorflow/tfjs-core ships without them (only the @tensorflow/tfjs bundle registers them), so
 * `tf.grad` of a plain `tf.add` would throw "gradient function not found". The import sits here,
 * in a module every op uses, because @llm/model declares `sideEffects: false` and bundlers drop
 * a module that only has side effects.
 */
import "@tensorflow/tfjs";
import * as tf from "@tensorflow/tfjs-core";

export type OpBody = (...args: never[]) => {
  value: tf.Tensor;
  gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor | tf.Tensor[];
};

export function customOp(f: OpBody): (...inputs: tf.Tensor[]) => tf.Tensor {
  return tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]) as (
    ...inputs: tf.Tensor[]
  ) => tf.Tensor;
}
