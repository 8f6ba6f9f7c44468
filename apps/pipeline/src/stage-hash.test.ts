import { describe, expect, it } from "vitest";
import { applyOverrides } from "./cli-args.js";
import { getPreset } from "./presets/index.js";
import { canonicalJson, hashValue, stageHashes } from "./stage-hash.js";
import { STAGE_NAMES } from "./stage-names.js";

describe("stage hashes", () => {
  it("ignores key order and distinguishes values", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 2], c: "x" } })).toBe('{"a":{"c":"x","d":[1,2]},"b":1}');
    expect(hashValue({ a: 1, b: 2 })).toBe(hashValue({ b: 2, a: 1 }));
    expect(hashValue({ a: 1 })).not.toBe(hashValue({ a: 2 }));
    expect(hashValue({ a: undefined, b: 1 })).toBe(hashValue({ b: 1 }));
  });

  it("changes only the changed stage and the stages downstream of it", () => {
    const base = getPreset("tiny");
    const before = stageHashes(base);
    const after = stageHashes(applyOverrides(base, ["sft.steps=99"]));
    const changed = STAGE_NAMES.filter((s) => before[s] !== after[s]);
    expect(changed).toEqual(["sft", "rl", "probes", "report"]);
    const dataChanged = stageHashes(applyOverrides(base, ["data.dedup=false"]));
    expect(STAGE_NAMES.filter((s) => before[s] !== dataChanged[s])).toEqual([...STAGE_NAMES]);
    const reportChanged = stageHashes(applyOverrides(base, ["report.maxNewTokens=5"]));
    expect(STAGE_NAMES.filter((s) => before[s] !== reportChanged[s])).toEqual(["report"]);
  });

  it("does not depend on the preset's name, description or hardware plan", () => {
    const a = getPreset("small");
    const b = { ...getPreset("small"), name: "renamed", description: "other" };
    expect(stageHashes(a)).toEqual(stageHashes(b));
  });

  it("changes every stage when the seed changes", () => {
    const base = getPreset("tiny");
    const before = stageHashes(base);
    const after = stageHashes(applyOverrides(base, ["seed=7"]));
    for (const stage of STAGE_NAMES) expect(after[stage]).not.toBe(before[stage]);
  });
});
