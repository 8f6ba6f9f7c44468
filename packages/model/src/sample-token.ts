/**
 * sampleToken: picks the next token from a row of logits with temperature, top-k and nucleus
 * (top-p) filtering, drawing from a seeded Rng so that a seed fixes the output. Temperature 0 is
 * greedy (argmax, lowest id on ties). Reference: nanoGPT's sample.py, Holtzman et al. 2019
 * ("The Curious Case of Neural Text Degeneration"). Leaves out: repetition penalties, min-p.
 */
import type { Rng } from "@llm/core";

export interface SamplingOptions {
  /** Softmax temperature; 0 means greedy. Default 1. */
  temperature?: number;
  /** Keep only the k most likely tokens; 0 disables. Default 0. */
  topK?: number;
  /** Keep the smallest set of most likely tokens whose probability reaches topP; 1 disables. Default 1. */
  topP?: number;
}

/** The index of the largest value (the lowest index among equals). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v > bestValue) {
      bestValue = v;
      best = i;
    }
  }
  return best;
}

/** Samples one token id from `logits` [V]. */
export function sampleToken(logits: ArrayLike<number>, options: SamplingOptions, rng: Rng): number {
  const temperature = options.temperature ?? 1;
  if (temperature <= 0) return argmax(logits);
  const V = logits.length;
  const topK = options.topK ?? 0;
  const topP = options.topP ?? 1;
  let ids: number[];
  if ((topK > 0 && topK < V) || topP < 1) {
    ids = Array.from({ length: V }, (_, i) => i).sort(
      (a, b) => (logits[b] as number) - (logits[a] as number) || a - b,
    );
    if (topK > 0 && topK < V) ids.length = topK;
  } else {
    ids = Array.from({ length: V }, (_, i) => i);
  }
  let max = Number.NEGATIVE_INFINITY;
  for (const id of ids) max = Math.max(max, logits[id] as number);
  const probs = ids.map((id) => Math.exp(((logits[id] as number) - max) / temperature));
  let total = probs.reduce((a, b) => a + b, 0);
  if (topP < 1) {
    // ids are sorted by probability: keep the shortest prefix whose mass reaches topP
    let mass = 0;
    let keep = 0;
    while (keep < probs.length && mass < topP * total) mass += probs[keep++] as number;
    keep = Math.max(1, keep);
    ids.length = keep;
    probs.length = keep;
    total = mass > 0 ? probs.reduce((a, b) => a + b, 0) : 1;
  }
  let x = rng.next() * total;
  for (let i = 0; i < ids.length; i++) {
    x -= probs[i] as number;
    if (x < 0) return ids[i] as number;
  }
  return ids[ids.length - 1] as number;
}
