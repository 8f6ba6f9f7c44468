import type { ProgressEvent } from "@llm/core";
import { describe, expect, it } from "vitest";
import { createProbes, PROBE_NAMES } from "./all-probes.js";
import { isSkipped, runProbes } from "./run-probes.js";
import { createScriptedProbeContext, ScriptedChatEngine } from "./testing/index.js";

describe("runProbes", () => {
  it("runs all nine probes on a scripted run, in order, with progress and claims", async () => {
    const events: ProgressEvent[] = [];
    const results = await runProbes(
      await createScriptedProbeContext(),
      createProbes({ "tokens-not-words": { references: ["gpt2"] } }),
      {
        onProgress: (e) => events.push(e),
      },
    );
    expect(results.map((r) => r.name)).toEqual([...PROBE_NAMES]);
    expect(results.filter(isSkipped)).toEqual([]);
    for (const r of results) {
      expect(typeof r.details?.claim).toBe("string");
      expect(r.finding.length).toBeGreaterThan(20);
    }
    expect(events.at(-1)).toMatchObject({ stage: "probes", done: 9, total: 9 });
    const byName = Object.fromEntries(results.map((r) => [r.name, r]));
    expect(byName["letter-counting"]!.metrics["sft.toolAccuracy"]).toBe(1);
    expect(byName["decimal-comparison"]!.metrics["sft.direct.adversarialAccuracy"]).toBe(0);
    expect(byName.identity!.metrics["sft.identityRate"]).toBe(1);
    expect(byName.identity!.metrics["base.identityRate"]).toBe(0);
    expect(byName["knowledge-and-refusal"]!.metrics["sft.unknownRefusalRate"]).toBe(1);
    expect(byName["base-model-as-repeater"]!.metrics["train.verbatimRate"]).toBe(1);
    expect(byName["rl-gain"]!.metrics["rl.passAt1"]).toBeGreaterThan(
      byName["rl-gain"]!.metrics["sft.passAt1"]!,
    );
  });

  it("records probes that cannot run as skipped, with the reason, and keeps going", async () => {
    const logs: string[] = [];
    const results = await runProbes(
      { engines: { sft: new ScriptedChatEngine(() => "I don't know.") } },
      createProbes({}, ["rl-gain", "identity", "knowledge-and-refusal"]),
      { onLog: (e) => logs.push(`${e.level}: ${e.message}`) },
    );
    expect(results.map((r) => [r.name, isSkipped(r)])).toEqual([
      ["identity", true],
      ["knowledge-and-refusal", false],
      ["rl-gain", true],
    ]);
    expect(results[2]!.finding).toMatch(
      /^Not measured: Probe rl-gain: the context lacks the SFT or the RL model/,
    );
    expect(results[2]!.metrics).toEqual({});
    expect(logs.some((l) => l.startsWith("warn: skipped identity"))).toBe(true);
  });

  it("rejects unknown and duplicate probes", async () => {
    expect(() => createProbes({}, ["strawberry"])).toThrow(/Unknown probe name/);
    const [p] = createProbes({}, ["identity"]);
    await expect(runProbes({ engines: {} }, [p!, p!])).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
  });

  it("propagates errors that are not about missing inputs", async () => {
    const broken = new ScriptedChatEngine({}); // no reply for any prompt: a bug, not a skip
    await expect(
      runProbes({ engines: { sft: broken } }, createProbes({}, ["letter-counting"])),
    ).rejects.toThrow(/no reply for prompt/);
  });
});
