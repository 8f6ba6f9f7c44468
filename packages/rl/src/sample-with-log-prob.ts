/**
 * sampleWithLogProb: draws one token from a row of logits at a temperature, optionally among the
 * top k only, and returns the log-probability of the drawn token under the distribution it was
 * actually drawn from (what RL needs to know about its own samples). Seeded through core's Rng.
 * Reference: nanochat's sample_next_token; vLLM's returned sampling log-probs.
 * greedyWithLogProb takes the most likely token instead, with its log-probability at the temperature.
 * Leaves out: top-p, repetition penalties.
 */

import type { Rng } from "@llm/core";

export interface SampledToken {
  id: number;
  /** log p(id) under softmax(logits / temperature), restricted to the top k when topK > 0. */
  logProb: number;
}

/** Samples from `logits` (one row, length V). temperature > 0; topK 0 keeps every token. */
export function sampleWithLogProb(
  logits: ArrayLike<number>,
  temperature: number,
  topK: number,
  rng: Rng,
): SampledToken {
  const vocab = logits.length;
  let candidates: number[];
  if (topK > 0 && topK < vocab) {
    candidates = Array.from({ length: vocab }, (_, i) => i)
      .sort((a, b) => (logits[b] as number) - (logits[a] as number) || a - b)
      .slice(0, topK);
  } else {
    candidates = Array.from({ length: vocab }, (_, i) => i);
  }
  let max = Number.NEGATIVE_INFINITY;
  for (const i of candidates) max = Math.max(max, (logits[i] as number) / temperature);
  const weights = new Float64Array(candidates.length);
  let total = 0;
  for (let j = 0; j < candidates.length; j++) {
    const w = Math.exp((logits[candidates[j] as number] as number) / temperature - max);
    weights[j] = w;
    total += w;
  }
  let x = rng.next() * total;
  let chosen = candidates.length - 1;
  for (let j = 0; j < candidates.length; j++) {
    x -= weights[j] as number;
    if (x < 0) {
      chosen = j;
      break;
    }
  }
  const id = candidates[chosen] as number;
  return { id, logProb: Math.log((weights[chosen] as number) / total) };
}

/** The most likely token of `logits` (the lowest id on ties) and its log p under softmax(logits / temperature). */
export function greedyWithLogProb(logits: ArrayLike<number>, temperature: number): SampledToken {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if ((logits[i] as number) > (logits[best] as number)) best = i;
  const max = (logits[best] as number) / temperature;
  let total = 0;
  for (let i = 0; i < logits.length; i++) total += Math.exp((logits[i] as number) / temperature - max);
  return { id: best, logProb: -Math.log(total) };
}
