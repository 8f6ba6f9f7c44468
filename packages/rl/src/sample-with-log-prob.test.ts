import { Rng } from "@llm/core";
import { describe, expect, it } from "vitest";
import { greedyWithLogProb, sampleWithLogProb } from "./sample-with-log-prob.js";

describe("sampleWithLogProb", () => {
  it("draws with the softmax frequencies and returns their log", () => {
    const logits = [Math.log(1), Math.log(3), Math.log(6)];
    const rng = new Rng(5);
    const counts = [0, 0, 0];
    for (let i = 0; i < 20000; i++) {
      const s = sampleWithLogProb(logits, 1, 0, rng);
      counts[s.id] = (counts[s.id] as number) + 1;
      expect(s.logProb).toBeCloseTo(Math.log([0.1, 0.3, 0.6][s.id] as number), 6);
    }
    expect((counts[2] as number) / 20000).toBeCloseTo(0.6, 1);
    expect((counts[0] as number) / 20000).toBeCloseTo(0.1, 1);
  });

  it("applies temperature and top-k to the distribution it reports", () => {
    const rng = new Rng(1);
    // temperature 0.5 squares the odds: 1:3:6 -> 1:9:36
    const s = sampleWithLogProb([0, Math.log(3), Math.log(6)], 0.5, 0, rng);
    expect(s.logProb).toBeCloseTo(Math.log(([1, 9, 36][s.id] as number) / 46), 6);
    // top-2 drops the least likely token and renormalises: 3:6
    for (let i = 0; i < 200; i++) {
      const t = sampleWithLogProb([0, Math.log(3), Math.log(6)], 1, 2, rng);
      expect(t.id).not.toBe(0);
      expect(t.logProb).toBeCloseTo(Math.log(t.id === 1 ? 1 / 3 : 2 / 3), 6);
    }
  });

  it("greedy takes the most likely token and reports its log-prob at the temperature", () => {
    const logits = [0, Math.log(3), Math.log(6)];
    expect(greedyWithLogProb(logits, 1)).toEqual({ id: 2, logProb: expect.closeTo(Math.log(0.6), 6) });
    // temperature 0.5: 1:9:36
    expect(greedyWithLogProb(logits, 0.5).logProb).toBeCloseTo(Math.log(36 / 46), 6);
    expect(greedyWithLogProb([2, 5, 5, 1], 1).id).toBe(1);
  });
});
