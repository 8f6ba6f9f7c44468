import { describe, expect, it } from "vitest";
import { meanPassAtK, passAtK } from "./pass-at-k.js";

/** The estimator by brute force: enumerate every k-subset of n samples (c correct). */
function bruteForce(n: number, c: number, k: number): number {
  let hits = 0;
  let total = 0;
  const visit = (start: number, chosen: number[]) => {
    if (chosen.length === k) {
      total++;
      if (chosen.some((i) => i < c)) hits++;
      return;
    }
    for (let i = start; i < n; i++) visit(i + 1, [...chosen, i]);
  };
  visit(0, []);
  return hits / total;
}

describe("passAtK", () => {
  it("equals the share of k-subsets holding a correct sample", () => {
    for (const [n, c, k] of [
      [8, 0, 4],
      [8, 1, 1],
      [8, 3, 4],
      [6, 2, 3],
      [5, 5, 2],
      [7, 1, 7],
    ] as const) {
      expect(passAtK(n, c, k)).toBeCloseTo(bruteForce(n, c, k), 12);
    }
  });

  it("pass@1 is the fraction correct", () => {
    expect(passAtK(10, 3, 1)).toBeCloseTo(0.3, 12);
  });

  it("averages over prompts and rejects impossible inputs", () => {
    expect(meanPassAtK([0, 4], 4, 1)).toBeCloseTo(0.5, 12);
    expect(meanPassAtK([], 4, 1)).toBe(0);
    expect(() => passAtK(4, 5, 1)).toThrow(/c <= n/);
    expect(() => passAtK(4, 1, 5)).toThrow(/k <= n/);
  });
});
