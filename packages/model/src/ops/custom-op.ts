/**
 * customOp: tf.customGrad with plain tensor-typed parameters (tfjs types every argument as
 * Tensor | GradSaveFunc, which strict TypeScript cannot narrow). Reference: tf.customGrad.
 * Leaves out: nothing; it only adapts the types.
 */
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
