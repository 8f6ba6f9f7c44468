import { isLlmError } from "@llm/core";
import { describe, expect, it } from "vitest";
import { DEFAULT_GRPO_CONFIG, GRPO_PRESETS, resolveGrpoConfig } from "./grpo-config.js";

describe("GrpoConfig", () => {
  it("fills defaults and applies presets", () => {
    expect(resolveGrpoConfig()).toEqual(DEFAULT_GRPO_CONFIG);
    const dapo = resolveGrpoConfig({ ...GRPO_PRESETS.dapo, steps: 3 });
    expect(dapo).toMatchObject({
      lossType: "dapo",
      epsLow: 0.2,
      epsHigh: 0.28,
      maskTruncated: true,
      steps: 3,
    });
    expect(resolveGrpoConfig(GRPO_PRESETS.dr_grpo)).toMatchObject({
      lossType: "dr_grpo",
      scaleRewards: false,
      beta: 0,
    });
  });

  it("names the bad field in an INVALID_CONFIG error", () => {
    const cases: Array<[object, RegExp]> = [
      [{ steps: 0 }, /steps/],
      [{ groupSize: 1 }, /groupSize/],
      [{ groupSize: 4, greedyPerGroup: 4 }, /greedyPerGroup/],
      [{ temperature: 0 }, /temperature/],
      [{ evalTemperature: 0 }, /evalTemperature/],
      [{ epsLow: 1 }, /epsLow/],
      [{ beta: -1 }, /beta/],
      [{ evalK: 9, evalSamples: 8 }, /evalK/],
      [{ lossType: "ppo" }, /lossType/],
      [{ stepz: 3 }, /unknown option/],
    ];
    for (const [overrides, message] of cases) {
      try {
        resolveGrpoConfig(overrides);
        expect.unreachable();
      } catch (error) {
        expect(isLlmError(error, "INVALID_CONFIG")).toBe(true);
        expect((error as Error).message).toMatch(message);
      }
    }
  });
});
