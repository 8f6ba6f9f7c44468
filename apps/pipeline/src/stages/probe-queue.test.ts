import type { ProbeResult } from "@llm/core";
import { type LoadedProbeContext, NATURAL_PROBE_NAMES, PROBE_NAMES } from "@llm/probes";
import { describe, expect, it } from "vitest";
import { small } from "../presets/small.js";
import {
  drainProbeQueue,
  inReportOrder,
  probeClaimOrder,
  probeOfQueueName,
  probeQueueCounters,
  withAdversarialFlag,
} from "./probe-queue.js";

describe("withAdversarialFlag", () => {
  it("flags 9.11-vs-9.9 pairs only", () => {
    const task = (a: string, b: string) => ({
      id: a,
      kind: "decimal-compare",
      prompt: "",
      answer: "",
      metadata: { a, b },
    });
    const flags = withAdversarialFlag([
      task("9.11", "9.9"),
      task("9.9", "9.11"),
      task("9.95", "9.9"),
      task("8.82", "17.7"),
      task("3.4", "3.7"),
    ]).map((t) => t.metadata?.adversarial);
    expect(flags).toEqual([true, true, false, false, false]);
  });
});

describe("probe queue order", () => {
  const config = (names: string[]) => ({ ...small, probes: { ...small.probes, names, natural: {} } });

  it("claims every preset probe once, longest first, then the natural-phrasing runs", () => {
    const order = probeClaimOrder(config([]));
    const natural = NATURAL_PROBE_NAMES.map((n) => `natural:${n}`);
    expect([...order].sort()).toEqual([...PROBE_NAMES, ...natural].sort());
    expect(order.slice(PROBE_NAMES.length).sort()).toEqual([...natural].sort());
    const { natural: _, ...plain } = small.probes;
    expect([...probeClaimOrder({ ...small, probes: { ...plain, names: [] } })].sort()).toEqual(
      [...PROBE_NAMES].sort(),
    );
    expect(order.slice(0, 2)).toEqual(["letter-counting", "decimal-comparison"]);
    expect(probeClaimOrder(config(["tokens-not-words", "identity", "rl-gain"]))).toEqual([
      "rl-gain",
      "identity",
      "tokens-not-words",
      "natural:rl-gain",
      "natural:identity",
    ]);
  });

  it("names the probe a natural-phrasing run runs", () => {
    expect(probeOfQueueName("natural:identity")).toBe("identity");
    expect(probeOfQueueName("identity")).toBe("identity");
  });

  it("merges each natural-phrasing run into its probe's result", () => {
    const results: ProbeResult[] = [
      {
        name: "natural:identity",
        title: "",
        metrics: { "rl.identityRate": 0.5 },
        examples: [],
        finding: "Natural.",
      },
      { name: "identity", title: "", metrics: { "sft.identityRate": 1 }, examples: [], finding: "Template." },
      { name: "tokens-not-words", title: "", metrics: {}, examples: [], finding: "" },
    ];
    const merged = inReportOrder(results);
    expect(merged.map((r) => r.name)).toEqual(["tokens-not-words", "identity"]);
    expect(merged[1]?.metrics).toEqual({ "sft.identityRate": 1, "natural.rl.identityRate": 0.5 });
    expect(merged[1]?.finding).toBe("Template. In natural phrasing: Natural.");
  });

  it("puts results back in report order", () => {
    const result = (name: string) => ({ name, title: name, metrics: {}, examples: [], finding: "" });
    const shuffled = [...PROBE_NAMES].reverse().map(result);
    expect(inReportOrder(shuffled).map((r) => r.name)).toEqual([...PROBE_NAMES]);
  });

  it("claims nothing once the stage is aborted", async () => {
    const job = { runRoot: "", config: small, names: probeClaimOrder(small), counters: probeQueueCounters() };
    const controller = new AbortController();
    controller.abort();
    // an aborted drain never touches the models, so no run needs to be loaded
    const loaded = {} as LoadedProbeContext;
    expect(await drainProbeQueue(loaded, job, {}, controller.signal)).toEqual([]);
    expect([...new Int32Array(job.counters)]).toEqual([0, 0]);
  });
});
