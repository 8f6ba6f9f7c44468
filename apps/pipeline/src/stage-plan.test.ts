import { describe, expect, it } from "vitest";
import { STAGE_NAMES, type StageName } from "./stage-names.js";
import { planStages, type StageMarker } from "./stage-plan.js";

const hashes = Object.fromEntries(STAGE_NAMES.map((s) => [s, `h-${s}`])) as Record<StageName, string>;

function done(stage: StageName, hash = hashes[stage]): StageMarker {
  return { stage, hash, status: "done", startedAt: "t" };
}
function started(stage: StageName, hash = hashes[stage]): StageMarker {
  return { stage, hash, status: "started", startedAt: "t" };
}
function actions(decisions: ReturnType<typeof planStages>): string[] {
  return decisions.map((d) => `${d.stage}:${d.action}`);
}

describe("planStages", () => {
  it("runs everything fresh in an empty folder", () => {
    expect(actions(planStages(hashes, {}))).toEqual(STAGE_NAMES.map((s) => `${s}:fresh`));
  });

  it("skips finished stages and continues the interrupted one", () => {
    const plan = planStages(hashes, {
      data: done("data"),
      tokenizer: done("tokenizer"),
      pretrain: started("pretrain"),
    });
    expect(actions(plan)).toEqual([
      "data:skip",
      "tokenizer:skip",
      "pretrain:continue",
      "sft:fresh",
      "rl:fresh",
      "probes:fresh",
      "report:fresh",
    ]);
  });

  it("skips everything when all stages are finished with the same inputs", () => {
    const markers = Object.fromEntries(STAGE_NAMES.map((s) => [s, done(s)]));
    expect(planStages(hashes, markers).every((d) => d.action === "skip")).toBe(true);
  });

  it("redoes a stage whose inputs changed, and everything downstream", () => {
    const markers = Object.fromEntries(STAGE_NAMES.map((s) => [s, done(s)]));
    markers.sft = done("sft", "old");
    markers.rl = done("rl", "old");
    expect(actions(planStages(hashes, markers))).toEqual([
      "data:skip",
      "tokenizer:skip",
      "pretrain:skip",
      "sft:fresh",
      "rl:fresh",
      "probes:fresh",
      "report:fresh",
    ]);
  });

  it("does not continue an interrupted stage that ran with other inputs", () => {
    const plan = planStages(hashes, { data: done("data"), tokenizer: started("tokenizer", "old") });
    expect(plan[1]).toMatchObject({ stage: "tokenizer", action: "fresh" });
  });

  it("--from reruns that stage and everything after it", () => {
    const markers = Object.fromEntries(STAGE_NAMES.map((s) => [s, done(s)]));
    expect(actions(planStages(hashes, markers, { from: "rl" }))).toEqual([
      "data:skip",
      "tokenizer:skip",
      "pretrain:skip",
      "sft:skip",
      "rl:fresh",
      "probes:fresh",
      "report:fresh",
    ]);
  });

  it("--only runs one stage and needs its upstream finished", () => {
    const markers = Object.fromEntries(STAGE_NAMES.map((s) => [s, done(s)]));
    expect(actions(planStages(hashes, markers, { only: "probes" }))).toEqual([
      "data:skip",
      "tokenizer:skip",
      "pretrain:skip",
      "sft:skip",
      "rl:skip",
      "probes:fresh",
      "report:skip",
    ]);
    expect(() => planStages(hashes, { data: done("data") }, { only: "pretrain" })).toThrow(/tokenizer/);
    expect(() => planStages(hashes, { data: done("data", "old") }, { from: "tokenizer" })).toThrow(
      /different config/,
    );
  });

  it("--until stops after that stage", () => {
    expect(actions(planStages(hashes, {}, { until: "pretrain" }))).toEqual([
      "data:fresh",
      "tokenizer:fresh",
      "pretrain:fresh",
      "sft:skip",
      "rl:skip",
      "probes:skip",
      "report:skip",
    ]);
  });

  it("rejects --from with --only", () => {
    expect(() => planStages(hashes, {}, { from: "data", only: "rl" })).toThrow(/cannot be used together/);
  });
});
