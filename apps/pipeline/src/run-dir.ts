/**
 * The run folder of architecture.md: paths of every artefact, the per-stage markers that make
 * resume possible (`_stages/<stage>.json`, written atomically when a stage starts and when it
 * finishes), config.json, and per-model metric logs (`metrics/<model>.jsonl`, one StepEvent
 * per line, the source of the report's training curves; kept outside the checkpoint folders,
 * which @llm/model replaces whole on every save). Leaves out: locking against two
 * pipelines writing the same folder at once.
 */
import { appendFile, mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { LlmError, writeJsonAtomic } from "@llm/core";
import { STAGE_NAMES, STAGE_OUTPUTS, type StageName } from "./stage-names.js";
import type { StageMarker } from "./stage-plan.js";

export class RunDir {
  constructor(readonly root: string) {}

  path(...parts: string[]): string {
    return join(this.root, ...parts);
  }

  get configPath(): string {
    return this.path("config.json");
  }
  get dataDir(): string {
    return this.path("data");
  }
  get shardsDir(): string {
    return this.path("data", "shards");
  }
  get tokenizerDir(): string {
    return this.path("tokenizer");
  }
  get tokenizerPath(): string {
    return this.path("tokenizer", "tokenizer.json");
  }
  /** Checkpoint folders by model stage. */
  checkpointDir(model: "base" | "sft" | "sft-answer-first" | "rl"): string {
    return this.path(model);
  }
  get probesPath(): string {
    return this.path("probes", "results.json");
  }

  markerPath(stage: StageName): string {
    return this.path("_stages", `${stage}.json`);
  }

  async readMarker(stage: StageName): Promise<StageMarker | undefined> {
    const text = await readFile(this.markerPath(stage), "utf8").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw error;
    });
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as StageMarker;
    } catch (cause) {
      throw new LlmError("FILE_CORRUPT", "A stage marker is not valid JSON.", {
        input: this.markerPath(stage),
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
    await writeJsonAtomic(this.markerPath(marker.stage), marker);
  }

  /** Removes what a stage wrote before, so a fresh run starts clean. */
  async clearStage(stage: StageName): Promise<void> {
    await rm(this.markerPath(stage), { force: true });
    for (const output of STAGE_OUTPUTS[stage]) await rm(this.path(output), { recursive: true, force: true });
  }

  metricsPath(model: string): string {
    return this.path("metrics", `${model}.jsonl`);
  }

  /** Held-out evaluation sets a stage wrote for the probes (eval/<stage>.json). */
  evalPath(stage: "sft" | "rl"): string {
    return this.path("eval", `${stage}.json`);
  }

  /** Appends one JSON line to a model's metrics log. */
  async appendMetric(model: string, record: unknown): Promise<void> {
    await mkdir(this.path("metrics"), { recursive: true });
    await appendFile(this.metricsPath(model), `${JSON.stringify(record)}\n`);
  }

  /** Every record of a metrics log; a torn last line (killed mid-append) is ignored. */
  async readMetrics<T = Record<string, unknown>>(stageDir: string): Promise<T[]> {
    const text = await readFile(this.metricsPath(stageDir), "utf8").catch(() => "");
    const records: T[] = [];
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      try {
        records.push(JSON.parse(line) as T);
      } catch {
        // a line cut by a kill; the step is logged again when it reruns
      }
    }
    return records;
  }
}
