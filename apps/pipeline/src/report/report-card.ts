/**
 * The report card's data (report.json): everything the run measured, gathered from the stage
 * markers' summaries, the metrics logs of the training stages, probes/results.json and
 * probes/samples.json. Renderers (render-report.ts) turn it into report.md and report.html.
 * Reference: nanochat's report.md. Leaves out: comparisons across runs.
 */
import { readFile } from "node:fs/promises";
import type { ProbeResult, StepEvent } from "@llm/core";
import type { RunDir } from "../run-dir.js";
import { STAGE_NAMES, type StageName } from "../stage-names.js";
import type { StageMarker } from "../stage-plan.js";

/** One logged training step (a StepEvent without the repeated fields). */
export interface CurvePoint {
  step: number;
  loss: number;
  lr?: number;
  valLoss?: number;
  valBpb?: number;
  tokensPerSecond?: number;
  metrics?: Record<string, number>;
}

export interface ReportCard {
  title: string;
  createdAt: string;
  run: {
    preset: string;
    folder: string;
    backend: string;
    node: string;
    platform: string;
    cpus: number;
    versions: Record<string, string>;
    stageHashes: Record<string, string>;
  };
  /** Wall-clock seconds per stage (summed over resumed pieces). */
  timing: Array<{ stage: StageName; seconds: number }>;
  totalSeconds: number;
  /** Stage summaries: dataset stats, tokenizer stats, final losses, RL gains, ... */
  summaries: Partial<Record<StageName, Record<string, unknown>>>;
  /** Training curves by model folder ("base", "sft", "sft-answer-first", "rl"). */
  curves: Record<string, CurvePoint[]>;
  /** Fixed prompts answered by each model stage. */
  samples: Array<{ prompt: string; outputs: Record<string, string> }>;
  probes: ProbeResult[];
}

export const CURVE_DIRS = ["base", "sft", "sft-answer-first", "rl"] as const;

/** Keeps the last record of each step (a resumed stage logs the steps after its checkpoint again), sorted. */
export function dedupeSteps(records: readonly StepEvent[]): CurvePoint[] {
  const byStep = new Map<number, CurvePoint>();
  for (const r of records) {
    const point: CurvePoint = { step: r.step, loss: r.loss, lr: r.lr };
    if (r.valLoss !== undefined) point.valLoss = r.valLoss;
    if (r.valBpb !== undefined) point.valBpb = r.valBpb;
    if (r.tokensPerSecond !== undefined) point.tokensPerSecond = r.tokensPerSecond;
    if (r.metrics) point.metrics = r.metrics;
    byStep.set(r.step, point);
  }
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

export interface BuildReportOptions {
  run: RunDir;
  preset: string;
  backend: string;
  versions: Record<string, string>;
  stageHashes: Record<string, string>;
  markers: Partial<Record<StageName, StageMarker>>;
}

export async function buildReportCard(options: BuildReportOptions): Promise<ReportCard> {
  const { run, markers } = options;
  const curves: Record<string, CurvePoint[]> = {};
  for (const dir of CURVE_DIRS) {
    const points = dedupeSteps(await run.readMetrics<StepEvent>(dir));
    if (points.length > 0) curves[dir] = points;
  }
  const timing: ReportCard["timing"] = [];
  const summaries: ReportCard["summaries"] = {};
  for (const stage of STAGE_NAMES) {
    const marker = markers[stage];
    if (marker?.seconds !== undefined && stage !== "report") timing.push({ stage, seconds: marker.seconds });
    if (marker?.summary) summaries[stage] = marker.summary;
  }
  const probes = await readJson<ProbeResult[]>(run.paths.probeResults, []);
  const samples = await readJson<ReportCard["samples"]>(run.paths.probeSamples, []);
  const os = await import("node:os");
  return {
    title: `Report card: ${options.preset} run`,
    createdAt: new Date().toISOString(),
    run: {
      preset: options.preset,
      folder: run.root,
      backend: options.backend,
      node: process.version,
      platform: `${os.platform()} ${os.arch()}`,
      cpus: os.cpus().length,
      versions: options.versions,
      stageHashes: options.stageHashes,
    },
    timing,
    totalSeconds: timing.reduce((sum, t) => sum + t.seconds, 0),
    summaries,
    curves,
    samples,
    probes,
  };
}

async function readJson<T>(path: string, fallback: T): Promise<T> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as T;
  } catch {
    return fallback;
  }
}
