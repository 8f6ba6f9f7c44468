import { isLlmError } from "@llm/core";
import { describe, expect, it } from "vitest";
import { groupAdvantages } from "./group-advantages.js";

describe("groupAdvantages", () => {
  it("gives TRL's [1.5, -0.5, -0.5, -0.5] for rewards [1, 0, 0, 0] with std scaling", () => {
    const { advantages } = groupAdvantages([1, 0, 0, 0], 4, { scaleRewards: true });
    const expected = [1.5, -0.5, -0.5, -0.5];
    // std = 0.5 (unbiased), plus TRL's 1e-4: 0.75 / 0.5001 = 1.49970...
    advantages.forEach((a, i) => {
      expect(a).toBeCloseTo(expected[i] as number, 3);
    });
    expect(advantages[0]).toBeCloseTo(0.75 / 0.5001, 10);
  });

  it("gives [0.75, -0.25, -0.25, -0.25] without std scaling (Dr. GRPO)", () => {
    const { advantages } = groupAdvantages([1, 0, 0, 0], 4, { scaleRewards: false });
    expect(advantages).toEqual([0.75, -0.25, -0.25, -0.25]);
  });

  it("handles several groups independently and flags all-equal groups", () => {
    const result = groupAdvantages([1, 1, 1, 0, 0.5, 0.5], 3, { scaleRewards: false });
    expect(result.advantages.slice(0, 3)).toEqual([0, 0, 0]);
    expect(result.equalGroups).toEqual([true, false]);
    expect(result.groupMeans[1]).toBeCloseTo(1 / 3, 12);
    const second = result.advantages.slice(3);
    expect(second.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12);
  });

  it("scaled advantages of an all-equal group are 0, not NaN", () => {
    const { advantages } = groupAdvantages([0.3, 0.3], 2);
    expect(advantages).toEqual([0, 0]);
  });

  it("rejects a reward count that is not a multiple of the group size, and non-finite rewards", () => {
    expect(() => groupAdvantages([1, 0, 0], 2)).toThrow(/multiple of the group size/);
    try {
      groupAdvantages([1, Number.NaN], 2);
      expect.unreachable();
    } catch (error) {
      expect(isLlmError(error, "INVALID_ARGUMENT")).toBe(true);
    }
  });
});
