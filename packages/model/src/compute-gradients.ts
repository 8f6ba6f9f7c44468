/**
 * computeGradients: the loss and the gradient of every model parameter for one batch (masked
 * when the batch has a mask) or for any scalar loss function of the model (RL objectives), plus
 * helpers to accumulate and average named gradients (gradient accumulation, data-parallel workers).
 * Reference: tf.variableGrads; nanoGPT's micro-step loop. Leaves out: mixed precision.
 */
import { type Batch, LlmError } from "@llm/core";
import * as tf from "@tensorflow/tfjs-core";
import type { Gradients } from "./clip-global-norm.js";
import type { GPT } from "./gpt.js";

/** A loss and gradients keyed by parameter name; the caller owns (and disposes) the tensors. */
export interface GradientResult {
  loss: number;
  grads: Gradients;
}

/** Int32/Float32 tensors of a batch: inputs/targets [B, T], mask [B, T] when present. */
export function batchTensors(batch: Batch): {
  inputs: tf.Tensor2D;
  targets: tf.Tensor2D;
  mask?: tf.Tensor2D;
} {
  const { batchSize: B, seqLen: T } = batch;
  if (
    batch.inputs.length !== B * T ||
    batch.targets.length !== B * T ||
    (batch.mask && batch.mask.length !== B * T)
  ) {
    throw new LlmError("INVALID_INPUT", "batch arrays do not match batchSize * seqLen", {
      input: `B=${B}, T=${T}, inputs=${batch.inputs.length}, targets=${batch.targets.length}`,
      hint: "Every array of a Batch holds batchSize * seqLen entries, row-major.",
    });
  }
  const inputs = tf.tensor2d(batch.inputs, [B, T], "int32");
  const targets = tf.tensor2d(batch.targets, [B, T], "int32");
  if (batch.mask === undefined) return { inputs, targets };
  return { inputs, targets, mask: tf.tensor2d(batch.mask, [B, T], "float32") };
}

/** The loss tensor and named gradients of one batch (or of `lossFn()`); the caller reads the loss. */
function lossAndGradients(
  model: GPT,
  input: Batch | (() => tf.Scalar),
): { value: tf.Scalar; grads: Gradients } {
  const params = model.parameters();
  const byVariable = new Map<string, string>();
  for (const [name, variable] of params) byVariable.set(variable.name, name);
  let lossFn: () => tf.Scalar;
  let cleanup = (): void => {};
  if (typeof input === "function") {
    lossFn = input;
  } else {
    const t = batchTensors(input);
    lossFn = () => model.loss(t.inputs, t.targets, t.mask);
    cleanup = () => {
      t.inputs.dispose();
      t.targets.dispose();
      t.mask?.dispose();
    };
  }
  try {
    const { value, grads } = tf.variableGrads(lossFn, [...params.values()]);
    const named: Gradients = new Map();
    for (const [variableName, g] of Object.entries(grads)) {
      named.set(byVariable.get(variableName) ?? variableName, g);
    }
    return { value, grads: named };
  } finally {
    cleanup();
  }
}

/**
 * Loss and gradients of the model's (masked) next-token loss on a batch, or of `lossFn()`.
 * Reads the loss with dataSync: CPU-resident backends only (wasm, cpu, tensorflow); on webgpu
 * use computeGradientsAsync.
 */
export function computeGradients(model: GPT, input: Batch | (() => tf.Scalar)): GradientResult {
  const { value, grads } = lossAndGradients(model, input);
  const loss = value.dataSync()[0] as number;
  value.dispose();
  return { loss, grads };
}

/** computeGradients that reads the loss with `await data()`: works on every backend, webgpu too. */
export async function computeGradientsAsync(
  model: GPT,
  input: Batch | (() => tf.Scalar),
): Promise<GradientResult> {
  const { value, grads } = lossAndGradients(model, input);
  try {
    return { loss: (await value.data())[0] as number, grads };
  } finally {
    value.dispose();
  }
}

/** Adds `more` into `sum` (disposing the replaced tensors and `more`); returns `sum`. */
export function accumulateGradients(sum: Gradients, more: Gradients): Gradients {
  for (const [name, g] of more) {
    const prev = sum.get(name);
    if (prev === undefined) {
      sum.set(name, g);
    } else {
      sum.set(name, tf.add(prev, g));
      prev.dispose();
      g.dispose();
    }
  }
  return sum;
}

/** Multiplies every gradient by `factor` in place (disposing the originals); returns `grads`. */
export function scaleGradients(grads: Gradients, factor: number): Gradients {
  if (factor === 1) return grads;
  for (const [name, g] of grads) {
    grads.set(name, tf.mul(g, factor));
    g.dispose();
  }
  return grads;
}
