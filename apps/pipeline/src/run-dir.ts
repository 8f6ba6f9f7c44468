/**
 * The run folder of architecture.md as the pipeline writes it. Every path comes from @llm/core's
 * runPaths (the one layout, `run.paths`); this class adds the per-stage markers that make resume
 * possible (`_stages/<stage>.json`, written atomically when a stage starts and when it finishes),
 * clearing a stage's outputs, and the per-model metric logs (`metrics/<model>.jsonl`, one
 * StepEvent per line, the source of the report's training curves; kept outside the checkpoint
 * folders, which @llm/model replaces whole on every save). Leaves out: locking against two
 * pipelines writing the same folder at once (run-lock in @llm/core does that).
 */
import { appendFile, mkdir, readFile, rm } from "node:fs/promises";
import { LlmError, type RunPaths, readJsonl, runPaths, STAGE_OUTPUTS, writeJsonAtomic } from "@llm/core";
import { STAGE_NAMES, type StageName } from "./stage-names.js";
import type { StageMarker } from "./stage-plan.js";

export class RunDir {
  /** Every path of the folder, from the one layout in @llm/core. */
  readonly paths: RunPaths;
  /** The folder, as an absolute path. */
  readonly root: string;

  constructor(root: string) {
    this.paths = runPaths(root);
    this.root = this.paths.root;
  }

  /** Any path inside the folder (prefer a named one from `paths`). */
  path(...parts: string[]): string {
    return this.paths.path(...parts);
  }

  async readMarker(stage: StageName): Promise<StageMarker | undefined> {
    const text = await readFile(this.paths.marker(stage), "utf8").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw error;
    });
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as StageMarker;
    } catch (cause) {
      throw new LlmError("FILE_CORRUPT", "A stage marker is not valid JSON.", {
        input: this.paths.marker(stage),
        hint: "Delete the file; the stage will run again.",
        cause,
      });
    }
  }

  async readMarkers(): Promise<Partial<Record<StageName, StageMarker>>> {
    const markers: Partial<Record<StageName, StageMarker>> = {};
    for (const stage of STAGE_NAMES) {
      const marker = await this.readMarker(stage);
      if (marker) markers[stage] = marker;
    }
    return markers;
  }

  async writeMarker(marker: StageMarker): Promise<void> {
    await writeJsonAtomic(this.paths.marker(marker.stage), marker);
  }

  /** Removes what a stage wrote before, so a fresh run starts clean. */
  async clearStage(stage: StageName): Promise<void> {
    await rm(this.paths.marker(stage), { force: true });
    for (const output of STAGE_OUTPUTS[stage]) await rm(this.path(output), { recursive: true, force: true });
  }

  /** Appends one JSON line to a model's metrics log. */
  async appendMetric(model: string, record: unknown): Promise<void> {
    await mkdir(this.paths.metrics, { recursive: true });
    await appendFile(this.paths.metricsLog(model), `${JSON.stringify(record)}\n`);
  }

  /** Every record of a metrics log; a line torn by a kill mid-append is skipped. */
  readMetrics<T = Record<string, unknown>>(model: string): Promise<T[]> {
    return readJsonl<T>(this.paths.metricsLog(model), { skipTornLines: true, missingIsEmpty: true });
  }
}
