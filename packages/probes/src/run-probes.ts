/**
 * runProbes: runs probes one after another against one ProbeContext and returns their results in
 * order. A probe that cannot run on this context (it throws LlmError "INVALID_INPUT": no RL model,
 * no identity configured, ...) is recorded as skipped: empty metrics, `details.skipped` holding
 * the reason, and a finding saying what was not measured. Any other error propagates.
 * Each result gets `details.claim` (the probe's claim) for renderers.
 * Reference: nanochat's chat_eval loop. Leaves out: running probes in parallel (models are big).
 */
import type { Listeners, Probe, ProbeContext, ProbeResult } from "@llm/core";
import { isLlmError, LlmError } from "@llm/core";

export async function runProbes(
  context: ProbeContext,
  probes: readonly Probe[],
  listeners: Listeners = {},
): Promise<ProbeResult[]> {
  const names = new Set<string>();
  for (const probe of probes) {
    if (names.has(probe.name)) {
      throw new LlmError("INVALID_ARGUMENT", `Probe ${probe.name} is listed twice.`, {
        input: probe.name,
        hint: "Pass each probe once.",
      });
    }
    names.add(probe.name);
  }
  const results: ProbeResult[] = [];
  for (const [i, probe] of probes.entries()) {
    listeners.onProgress?.({
      stage: "probes",
      done: i,
      total: probes.length,
      unit: "probes",
      message: `running ${probe.name}`,
    });
    const started = Date.now();
    let result: ProbeResult;
    try {
      result = await probe.run(context);
    } catch (error) {
      if (!isLlmError(error, "INVALID_INPUT")) throw error;
      const reason = error.message;
      listeners.onLog?.({ stage: "probes", level: "warn", message: `skipped ${probe.name}: ${reason}` });
      result = {
        name: probe.name,
        title: probe.title,
        metrics: {},
        examples: [],
        finding: `Not measured: ${reason}`,
        details: { skipped: reason },
      };
    }
    result = { ...result, details: { ...result.details, claim: probe.claim } };
    results.push(result);
    listeners.onLog?.({
      stage: "probes",
      level: "info",
      message: `${probe.name} (${((Date.now() - started) / 1000).toFixed(1)} s): ${result.finding}`,
    });
  }
  listeners.onProgress?.({
    stage: "probes",
    done: probes.length,
    total: probes.length,
    unit: "probes",
    message: "done",
  });
  return results;
}

/** Whether runProbes recorded this result as skipped. */
export function isSkipped(result: ProbeResult): boolean {
  return typeof result.details?.skipped === "string";
}
