/**
 * Resume decisions: given the stage hashes of the current config, the markers a previous run
 * left, and the `--from` / `--only` flags, decide for every stage whether to skip it (finished
 * with the same inputs), continue it (started with the same inputs and killed: its own
 * checkpoints carry on), or run it afresh (never started, inputs changed, or forced).
 * A pure function, so every decision is unit-tested. Reference: make's out-of-date rule.
 * Leaves out: partial invalidation inside a stage (a stage is the unit of redo).
 */
import { LlmError } from "@llm/core";
import { STAGE_NAMES, type StageName } from "./stage-names.js";

/** What the run folder says about a stage (see run-dir.ts). */
export interface StageMarker {
  stage: StageName;
  /** Input hash the stage ran with. */
  hash: string;
  status: "started" | "done";
  startedAt: string;
  finishedAt?: string;
  /** Wall-clock seconds of the last completed run (sum over resumed pieces). */
  seconds?: number;
  /** Stage-specific numbers for the report (documents kept, final loss, ...). */
  summary?: Record<string, unknown>;
}

export type StageAction = "skip" | "continue" | "fresh";

export interface StageDecision {
  stage: StageName;
  action: StageAction;
  /** Why, in words, for the log. */
  reason: string;
}

export interface PlanOptions {
  /** Rerun this stage and everything after it. */
  from?: StageName;
  /** Run only this stage (its upstream must be finished with the current inputs). */
  only?: StageName;
  /** Stop after this stage (later stages are left as they are). */
  until?: StageName;
}

export function planStages(
  hashes: Readonly<Record<StageName, string>>,
  markers: Readonly<Partial<Record<StageName, StageMarker>>>,
  options: PlanOptions = {},
): StageDecision[] {
  if (options.from && options.only) {
    throw new LlmError("INVALID_ARGUMENT", "--from and --only cannot be used together.", {
      input: `--from ${options.from} --only ${options.only}`,
      hint: "Use --from to rerun a stage and everything after it, or --only for a single stage.",
    });
  }
  const forced = options.only ?? options.from;
  const forcedIndex = forced ? STAGE_NAMES.indexOf(forced) : -1;
  const untilIndex = options.until ? STAGE_NAMES.indexOf(options.until) : STAGE_NAMES.length;
  const decisions: StageDecision[] = [];
  let upstreamRan = false;
  for (const [index, stage] of STAGE_NAMES.entries()) {
    if (index > untilIndex) {
      decisions.push({ stage, action: "skip", reason: "not requested (--until)" });
      continue;
    }
    const marker = markers[stage];
    const upToDate = marker?.status === "done" && marker.hash === hashes[stage];
    if (forced && index < forcedIndex) {
      if (!upToDate) {
        throw new LlmError(
          "RUN_ERROR",
          `Stage "${forced}" needs stage "${stage}" finished with the current config, but it is ${describe(marker, hashes[stage])}.`,
          {
            input: `--${options.only ? "only" : "from"} ${forced}`,
            hint: `Run with --from ${stage} (or without flags).`,
          },
        );
      }
      decisions.push({ stage, action: "skip", reason: "finished (upstream of the requested stage)" });
      continue;
    }
    if (options.only && index > forcedIndex) {
      decisions.push({ stage, action: "skip", reason: "not requested (--only)" });
      continue;
    }
    if (forced && index === forcedIndex) {
      decisions.push({ stage, action: "fresh", reason: `requested (--${options.only ? "only" : "from"})` });
      upstreamRan = true;
      continue;
    }
    if (upstreamRan) {
      decisions.push({ stage, action: "fresh", reason: "an upstream stage ran" });
      continue;
    }
    if (upToDate) {
      decisions.push({ stage, action: "skip", reason: "finished with the same inputs" });
      continue;
    }
    upstreamRan = true;
    if (marker?.status === "started" && marker.hash === hashes[stage]) {
      decisions.push({ stage, action: "continue", reason: "interrupted with the same inputs; resuming" });
    } else {
      decisions.push({ stage, action: "fresh", reason: marker ? "inputs changed" : "not run yet" });
    }
  }
  return decisions;
}

function describe(marker: StageMarker | undefined, hash: string): string {
  if (!marker) return "not run yet";
  if (marker.hash !== hash) return "from a different config";
  return "unfinished";
}
