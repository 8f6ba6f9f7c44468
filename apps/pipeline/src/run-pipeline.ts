/**
 * The stage runner: resolves stage hashes, reads the markers of the run folder, plans which
 * stages to skip, continue or redo (stage-plan.ts), and runs them in order. Each stage writes
 * a "started" marker before it begins and a "done" marker (with its summary and wall time) only
 * after all its outputs are in place, so a kill at any point leaves a folder the next run can
 * resume. An aborted signal makes the running stage stop after its current step (trainers
 * checkpoint first); the runner then records the elapsed time and throws an ABORTED LlmError.
 * The run folder is locked for the whole run (acquireRunLock of @llm/core): a second pipeline on
 * the same folder gets LOCKED naming the first; a dead one's lock is reclaimed with a warning.
 * Reference: datatrove's completion markers, make. Leaves out: running stages in parallel.
 */
import { acquireRunLock, isLlmError, type Listeners, LlmError, writeJsonAtomic } from "@llm/core";
import type { BackendChoice } from "./cli-args.js";
import type { PipelineConfig } from "./pipeline-config.js";
import { RunDir } from "./run-dir.js";
import { stageHashes } from "./stage-hash.js";
import { STAGE_NAMES, type StageName } from "./stage-names.js";
import { type PlanOptions, planStages, type StageDecision, type StageMarker } from "./stage-plan.js";

export interface StageContext {
  config: PipelineConfig;
  run: RunDir;
  stage: StageName;
  /** "fresh": the stage's outputs were cleared; "continue": resume from what is there. */
  action: "fresh" | "continue";
  hash: string;
  hashes: Readonly<Record<StageName, string>>;
  backend: BackendChoice;
  signal: AbortSignal;
  listeners: Listeners;
  /** Summaries of stages finished earlier (this run or a previous one). */
  summaries: Readonly<Partial<Record<StageName, Record<string, unknown>>>>;
  /** Wall seconds per finished stage. */
  seconds: Readonly<Partial<Record<StageName, number>>>;
}

/** One stage's work. Returns the summary recorded in its marker (and shown in the report). */
export type StageRunner = (context: StageContext) => Promise<Record<string, unknown>>;

export interface RunPipelineOptions extends PlanOptions {
  config: PipelineConfig;
  runDir: string;
  backend: BackendChoice;
  stages: Readonly<Record<StageName, StageRunner>>;
  signal?: AbortSignal;
  listeners?: Listeners;
  /** Called when a stage starts (after planning) and ends. */
  onStage?: (event: StageEvent) => void;
  /** Extra facts for config.json (versions, backend actually used). */
  environment?: Record<string, unknown>;
  /** Plan only. */
  dryRun?: boolean;
}

export type StageEvent =
  | { type: "plan"; decisions: StageDecision[] }
  | { type: "start"; stage: StageName; action: "fresh" | "continue"; reason: string }
  | { type: "skip"; stage: StageName; reason: string }
  | { type: "done"; stage: StageName; seconds: number; summary: Record<string, unknown> };

export interface PipelineResult {
  decisions: StageDecision[];
  markers: Partial<Record<StageName, StageMarker>>;
}

export async function runPipeline(options: RunPipelineOptions): Promise<PipelineResult> {
  const run = new RunDir(options.runDir);
  const hashes = stageHashes(options.config);
  const markers = await run.readMarkers();
  const plan: PlanOptions = {};
  if (options.from) plan.from = options.from;
  if (options.only) plan.only = options.only;
  if (options.until) plan.until = options.until;
  const decisions = planStages(hashes, markers, plan);
  options.onStage?.({ type: "plan", decisions });
  if (options.dryRun) return { decisions, markers };

  // One writer per run folder: a second pipeline (or a package CLI writing inside it) is refused.
  const lock = await acquireRunLock(options.runDir, {
    command: "pnpm pipeline",
    ...(options.listeners ? { listeners: options.listeners } : {}),
  });
  try {
    await writeJsonAtomic(run.paths.config, {
      preset: options.config,
      stageHashes: hashes,
      backend: options.backend,
      ...options.environment,
      updatedAt: new Date().toISOString(),
    });

    const signal = options.signal ?? new AbortController().signal;
    const summaries: Partial<Record<StageName, Record<string, unknown>>> = {};
    const seconds: Partial<Record<StageName, number>> = {};
    for (const stage of STAGE_NAMES) {
      const marker = markers[stage];
      if (marker?.status === "done") {
        if (marker.summary) summaries[stage] = marker.summary;
        if (marker.seconds !== undefined) seconds[stage] = marker.seconds;
      }
    }

    for (const decision of decisions) {
      const { stage } = decision;
      if (decision.action === "skip") {
        options.onStage?.({ type: "skip", stage, reason: decision.reason });
        continue;
      }
      if (signal.aborted) throw abortedError(stage);
      let previousSeconds = 0;
      if (decision.action === "fresh") {
        await run.clearStage(stage);
      } else {
        previousSeconds = markers[stage]?.seconds ?? 0;
      }
      const startedAt = new Date().toISOString();
      const started: StageMarker = {
        stage,
        hash: hashes[stage],
        status: "started",
        startedAt,
        seconds: previousSeconds,
      };
      await run.writeMarker(started);
      markers[stage] = started;
      options.onStage?.({ type: "start", stage, action: decision.action, reason: decision.reason });
      const t0 = performance.now();
      let summary: Record<string, unknown>;
      try {
        summary = await options.stages[stage]({
          config: options.config,
          run,
          stage,
          action: decision.action,
          hash: hashes[stage],
          hashes,
          backend: options.backend,
          signal,
          listeners: options.listeners ?? {},
          summaries,
          seconds,
        });
      } catch (error) {
        await run.writeMarker({ ...started, seconds: previousSeconds + (performance.now() - t0) / 1000 });
        if (signal.aborted && !isLlmError(error, "ABORTED")) throw abortedError(stage, error);
        throw error;
      }
      const elapsed = previousSeconds + (performance.now() - t0) / 1000;
      if (signal.aborted) {
        // The stage stopped early (after a checkpoint); it is not finished.
        await run.writeMarker({ ...started, seconds: elapsed });
        throw abortedError(stage);
      }
      const done: StageMarker = {
        ...started,
        status: "done",
        finishedAt: new Date().toISOString(),
        seconds: elapsed,
        summary,
      };
      await run.writeMarker(done);
      markers[stage] = done;
      summaries[stage] = summary;
      seconds[stage] = elapsed;
      options.onStage?.({ type: "done", stage, seconds: elapsed, summary });
    }
    return { decisions, markers };
  } finally {
    await lock.release();
  }
}

function abortedError(stage: StageName, cause?: unknown): LlmError {
  return new LlmError("ABORTED", `Stopped during stage "${stage}".`, {
    input: stage,
    hint: "Run the same command again to resume from the last checkpoint.",
    cause,
  });
}
