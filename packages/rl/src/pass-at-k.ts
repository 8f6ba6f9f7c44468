/**
 * passAtK: the unbiased pass@k estimator of Chen et al. 2021 ("Evaluating Large Language Models
 * Trained on Code"): with n samples of which c are correct, pass@k = 1 - C(n-c, k) / C(n, k),
 * computed as a running product so it never overflows. meanPassAtK averages it over prompts.
 * Leaves out: confidence intervals.
 */

import { LlmError } from "@llm/core";

/** Probability that at least one of k samples drawn without replacement from n (c correct) is correct. */
export function passAtK(n: number, c: number, k: number): number {
  if (!Number.isInteger(n) || !Number.isInteger(c) || !Number.isInteger(k) || n < 1 || k < 1 || c < 0) {
    throw new LlmError("INVALID_ARGUMENT", "passAtK needs integers n >= 1, k >= 1, c >= 0.", {
      input: `n=${n}, c=${c}, k=${k}`,
      hint: "n is the number of samples, c how many were correct, k the budget.",
    });
  }
  if (c > n || k > n) {
    throw new LlmError("INVALID_ARGUMENT", "passAtK needs c <= n and k <= n.", {
      input: `n=${n}, c=${c}, k=${k}`,
      hint: "draw at least k samples per prompt.",
    });
  }
  if (n - c < k) return 1;
  // C(n-c, k) / C(n, k) = prod_{i = n-c+1}^{n} (1 - k / i)
  let miss = 1;
  for (let i = n - c + 1; i <= n; i++) miss *= 1 - k / i;
  return 1 - miss;
}

/** Mean pass@k over prompts, given the number of correct samples per prompt (n samples each). */
export function meanPassAtK(correctCounts: readonly number[], n: number, k: number): number {
  if (correctCounts.length === 0) return 0;
  let total = 0;
  for (const c of correctCounts) total += passAtK(n, c, k);
  return total / correctCounts.length;
}
