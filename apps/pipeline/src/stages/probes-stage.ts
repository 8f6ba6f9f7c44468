/**
 * The probes stage: loads every model the run produced (base, sft, sft-answer-first, rl) with
 * @llm/probes' loadProbeContext (chat engines with the QuickJS tool sandbox, the base model as a
 * raw-text continuation engine and generator, the run's held-out sets from eval/), runs every
 * probe and writes probes/results.json; then samples each model on the report's fixed prompts
 * (probes/samples.json). On the single-threaded backends a worker thread takes probes from the
 * same queue (probe-queue.ts), so the probes use both cores; Ctrl-C stops both after their
 * current probe and writes nothing.
 */
import { availableParallelism } from "node:os";
import type { ProbeResult } from "@llm/core";
import { writeJsonAtomic } from "@llm/core";
import { collectChat } from "@llm/engine";
import { createProbes, type LoadedProbeContext } from "@llm/probes";
import type { StageContext } from "../run-pipeline.js";
import { initStageBackend } from "../stage-backends.js";
import {
  drainProbeQueue,
  inReportOrder,
  loadRunProbes,
  type ProbeQueueJob,
  probeClaimOrder,
  probeOfQueueName,
  probeOptions,
  probeQueueCounters,
} from "./probe-queue.js";
import { isSingleThreaded, runStageWorker } from "./stage-worker.js";

type Samples = Array<{ prompt: string; outputs: Record<string, string> }>;

/** Each model's greedy reply to the report's fixed prompts (the base model continues the text). */
async function reportSamples(context: StageContext, loaded: LoadedProbeContext): Promise<Samples> {
  const samples: Samples = [];
  for (const prompt of context.config.report.samplePrompts) {
    const outputs: Record<string, string> = {};
    for (const stage of ["base", "sft", "rl"] as const) {
      const engine = loaded.context.engines[stage];
      if (!engine) continue;
      const turn = await collectChat(engine, [{ role: "user", content: prompt }], {
        maxTokens: context.config.report.maxNewTokens,
        temperature: 0,
      });
      outputs[stage === "base" ? "base (continues the text)" : stage] = turn.text;
    }
    samples.push({ prompt, outputs });
  }
  return samples;
}

export async function probesStage(context: StageContext): Promise<Record<string, unknown>> {
  const { run, config } = context;
  const backend = await initStageBackend("probes", context.backend, context.listeners);
  const loaded = await loadRunProbes(run.root, config);
  try {
    const job: ProbeQueueJob = {
      runRoot: run.root,
      config,
      names: probeClaimOrder(config),
      counters: probeQueueCounters(),
    };
    // unknown names fail here, before any work (a natural-phrasing run is named after its probe)
    createProbes(probeOptions(config), [...new Set(job.names.map(probeOfQueueName))]);
    // The wasm and cpu backends use one thread per JavaScript thread: a worker takes probes from
    // the same queue on the second core (the native backends thread their own kernels).
    const worker =
      isSingleThreaded(backend.name) && availableParallelism() > 1 && job.names.length > 1
        ? runStageWorker<ProbeResult[]>(
            new URL("./probes-worker.ts", import.meta.url),
            job,
            context,
            "probes worker",
          )
        : undefined;
    // the worker's rejection is awaited below, after the main thread's share
    worker?.catch(() => {});
    const mine = await drainProbeQueue(loaded, job, context.listeners, context.signal);
    // the report's samples while the worker finishes its last probe
    const samples = context.signal.aborted ? [] : await reportSamples(context, loaded);
    const results = inReportOrder([...mine, ...((await worker) ?? [])]);
    // Ctrl-C: stopped after the current probes; the rerun probes again and writes nothing now
    if (context.signal.aborted) return {};
    await writeJsonAtomic(run.paths.probeResults, results);
    await writeJsonAtomic(run.paths.probeSamples, samples);
    const metrics: Record<string, unknown> = { probes: results.length, models: loaded.models };
    for (const r of results) for (const [k, v] of Object.entries(r.metrics)) metrics[`${r.name}.${k}`] = v;
    return metrics;
  } finally {
    await loaded.dispose();
  }
}
