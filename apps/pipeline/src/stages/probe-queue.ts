/**
 * The probes of a run as a queue that threads share: each thread loads the run's models and
 * held-out sets (@llm/probes' loadProbeContext, with the pipeline's inputs and options) and runs
 * the next unclaimed probe until none is left. The claim is one atomic counter in shared memory,
 * so the main thread and a worker split the probes without messages, and every probe's result is
 * the same whichever thread runs it (each probe seeds its own sampling). Probes are claimed
 * longest first, the order measured on the `small` preset, so that the two queues end together.
 * Reference: a work queue over Atomics.add. Leaves out: splitting one probe over threads.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { Listeners, ProbeResult, Task } from "@llm/core";
import { LlmError } from "@llm/core";
import {
  createProbes,
  type LoadedProbeContext,
  loadProbeContext,
  NATURAL_PROBE_NAMES,
  naturalProbeInputs,
  PROBE_NAMES,
  type ProbeOptions,
  runProbes,
  withNaturalScores,
} from "@llm/probes";
import type { PipelineConfig } from "../pipeline-config.js";
import { RunDir } from "../run-dir.js";
import { letterWords } from "./letter-words.js";
import { type EvalSets, letterEvalTasks } from "./sft-data.js";

/** What a thread needs to run probes from the queue: plain data, so that a worker can receive it. */
export interface ProbeQueueJob {
  runRoot: string;
  config: PipelineConfig;
  /** Probe names in claim order. */
  names: string[];
  /** Two Int32s (probeQueueCounters): the index in `names` of the next unclaimed probe, and how many are done. */
  counters: SharedArrayBuffer;
}

/** The shared counters of a new queue: nothing claimed, nothing done. */
export function probeQueueCounters(): SharedArrayBuffer {
  return new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
}

/** Probe names by the time they took on the `small` preset, longest first. */
const LONGEST_FIRST: readonly string[] = [
  "letter-counting",
  "decimal-comparison",
  "rl-gain",
  "identity",
  "reasoning-order",
  "knowledge-and-refusal",
  "base-model-as-repeater",
  "tokens-not-words",
];

/** A name's position in `order`; names not in it go last. */
function rankIn(order: readonly string[], name: string): number {
  const i = order.indexOf(name);
  return i < 0 ? order.length : i;
}

/** The queue name of a probe's natural-phrasing run. */
const NATURAL_PREFIX = "natural:";

/** The probe a queue name runs: "natural:identity" runs identity. */
export function probeOfQueueName(name: string): string {
  return name.startsWith(NATURAL_PREFIX) ? name.slice(NATURAL_PREFIX.length) : name;
}

/**
 * The preset's probe names (all of them when `probes.names` is empty), longest first; with
 * `probes.natural`, each chat probe's natural-phrasing run after them ("natural:<name>").
 */
export function probeClaimOrder(config: PipelineConfig): string[] {
  const names = config.probes.names.length > 0 ? config.probes.names : [...PROBE_NAMES];
  const sorted = [...names].sort((a, b) => rankIn(LONGEST_FIRST, a) - rankIn(LONGEST_FIRST, b));
  const natural = config.probes.natural
    ? sorted
        .filter((n) => (NATURAL_PROBE_NAMES as readonly string[]).includes(n))
        .map((n) => NATURAL_PREFIX + n)
    : [];
  return [...sorted, ...natural];
}

/**
 * Results in report order (PROBE_NAMES), whatever order the threads finished them in, each
 * natural-phrasing run merged into its probe's result (withNaturalScores).
 */
export function inReportOrder(results: readonly ProbeResult[]): ProbeResult[] {
  const natural = new Map(
    results
      .filter((r) => r.name.startsWith(NATURAL_PREFIX))
      .map((r) => [r.name.slice(NATURAL_PREFIX.length), r]),
  );
  return results
    .filter((r) => !r.name.startsWith(NATURAL_PREFIX))
    .map((r) => {
      const n = natural.get(r.name);
      return n && !n.details?.skipped ? withNaturalScores(r, n) : r;
    })
    .sort((a, b) => rankIn(PROBE_NAMES, a.name) - rankIn(PROBE_NAMES, b.name));
}

async function readJson<T>(path: string): Promise<T | undefined> {
  if (!existsSync(path)) return undefined;
  return JSON.parse(await readFile(path, "utf8")) as T;
}

/**
 * Decimal tasks with the `adversarial` flag the probe reports on: the same integer part, and the
 * number with more digits after the point is the smaller one (9.11 vs 9.9).
 */
export function withAdversarialFlag(tasks: readonly Task[]): Task[] {
  return tasks.map((task) => {
    const a = String(task.metadata?.a ?? "");
    const b = String(task.metadata?.b ?? "");
    const digits = (x: string) => (x.split(".")[1] ?? "").length;
    const sameWhole = Math.trunc(Number(a)) === Math.trunc(Number(b));
    const adversarial =
      sameWhole &&
      ((digits(a) > digits(b) && Number(a) < Number(b)) || (digits(b) > digits(a) && Number(b) < Number(a)));
    return { ...task, metadata: { ...task.metadata, a: Number(a), b: Number(b), adversarial } };
  });
}

/** Loads the run's models and the probes' inputs (the SFT stage's held-out sets). */
export async function loadRunProbes(runRoot: string, config: PipelineConfig): Promise<LoadedProbeContext> {
  const run = new RunDir(runRoot);
  const n = config.probes.itemsPerProbe;
  const sets = await readJson<EvalSets>(run.paths.evalSet("sft"));
  if (config.sft.reasoningTask === "word-count" && sets && !sets.wordCount) {
    throw new LlmError(
      "INVALID_CONFIG",
      "sft.reasoningTask is word-count but the SFT mixture has no word counting",
      {
        input: `sft.mixture.wordCount=${config.sft.mixture.wordCount ?? 0}`,
        hint: "Set sft.mixture.wordCount > 0 (e.g. --set sft.mixture.wordCount=1000) or sft.reasoningTask to arithmetic.",
      },
    );
  }
  return loadProbeContext(runRoot, {
    itemsPerProbe: n,
    seed: config.seed,
    copyGuard: config.probes.copyGuard ?? false,
    ...(config.probes.copyGuardCalls ? { copyGuardCalls: config.probes.copyGuardCalls } : {}),
    ...(config.probes.wordStepGuard ? { wordStepGuard: config.probes.wordStepGuard } : {}),
    ...(config.probes.numberGuardCalls ? { numberGuardCalls: config.probes.numberGuardCalls } : {}),
    ...(config.probes.answerGuard ? { answerGuard: true } : {}),
    loopGuard: config.probes.loopGuard ?? false,
    ...(config.probes.toolGrammar ? { toolGrammar: config.probes.toolGrammar } : {}),
    ...(config.probes.toolOutputRoom !== undefined ? { toolOutputRoom: config.probes.toolOutputRoom } : {}),
    inputs: {
      identity: {
        name: config.sft.identity.name,
        ...(sets
          ? {
              prompts: sets.identity.map((t) => ({
                prompt: t.prompt,
                lang: String(t.metadata?.lang ?? "en"),
              })),
            }
          : {}),
      },
      ...(sets ? { "decimal-comparison": withAdversarialFlag(sets.decimalCompare.slice(0, n)) } : {}),
      // probes.letterItems: more held-out words than the SFT stage wrote (the first n are the same)
      ...(config.probes.letterItems !== undefined
        ? {
            "letter-counting": letterEvalTasks(
              config,
              config.probes.letterItems,
              await letterWords(run, config),
            ),
          }
        : {}),
      // the steps-first and answer-first variants differ in arithmetic and word counting alike
      ...(config.sft.reasoningTask === "word-count" && sets?.wordCount
        ? { "reasoning-order": sets.wordCount.slice(0, n) }
        : {}),
      ...(sets?.smallTalk ? { "small-talk": sets.smallTalk } : {}),
    },
  });
}

/** The natural-phrasing run's options: the run's last chat model (rl, else sft), except reasoning-order and rl-gain. */
export function naturalProbeOptions(config: PipelineConfig, loaded: LoadedProbeContext): ProbeOptions {
  const options = probeOptions(config);
  const last = loaded.context.engines.rl ? (["rl"] as const) : (["sft"] as const);
  return {
    ...options,
    "letter-counting": { ...options["letter-counting"], stages: [...last] },
    "decimal-comparison": { ...options["decimal-comparison"], stages: [...last] },
    identity: { ...options.identity, stages: [...last] },
    "knowledge-and-refusal": { ...options["knowledge-and-refusal"], stages: [...last] },
    "small-talk": { ...options["small-talk"], stages: [...last] },
  };
}

/** The pipeline's options for each probe. */
export function probeOptions(config: PipelineConfig): ProbeOptions {
  const maxTokens = config.probes.maxNewTokens;
  // Tool use is an SFT/RL skill; identity and refusal compare base with SFT (the claims' contrasts).
  return {
    "letter-counting": { maxTokens, stages: ["sft", "rl"] },
    "decimal-comparison": { maxTokens, stages: ["sft", "rl"] },
    "reasoning-order": { maxTokens },
    identity: { maxTokens, stages: ["base", "sft"] },
    // A model taught to look entities up (sft.knowledge.source "search") is asked with its tool on.
    "knowledge-and-refusal": {
      maxTokens,
      stages: ["base", "sft"],
      ...(config.sft.knowledge?.source === "search" ? { tools: true } : {}),
    },
    "small-talk": { stages: ["base", "sft", "rl"] },
    "base-model-as-repeater": { maxPassages: config.probes.itemsPerProbe },
    // pass@1 at the temperature RL sampled and measured at (rl.temperature).
    "rl-gain": { maxTokens, samples: 4, temperature: config.rl.temperature },
  };
}

/**
 * Runs probes claimed from the job's queue on a loaded context until the queue is empty (or the
 * signal aborts), reporting progress over the whole queue; returns this thread's results.
 */
export async function drainProbeQueue(
  loaded: LoadedProbeContext,
  job: ProbeQueueJob,
  listeners: Listeners,
  signal?: AbortSignal,
): Promise<ProbeResult[]> {
  const counters = new Int32Array(job.counters);
  const options = probeOptions(job.config);
  // the natural-phrasing runs ask the same models with the natural sets as inputs (built on first use)
  const natural = job.config.probes.natural ?? {};
  let naturalRun: { context: LoadedProbeContext["context"]; options: ProbeOptions } | undefined;
  const naturalSetup = () => {
    naturalRun ??= {
      context: {
        ...loaded.context,
        inputs: naturalProbeInputs(loaded.context.inputs ?? {}, {
          ...(natural.items !== undefined ? { limit: natural.items } : {}),
          ...(natural.rlGainItems !== undefined ? { rlGainLimit: natural.rlGainItems } : {}),
        }),
      },
      options: naturalProbeOptions(job.config, loaded),
    };
    return naturalRun;
  };
  const total = job.names.length;
  const results: ProbeResult[] = [];
  // runProbes' own progress would count this one probe; the queue reports over all of them
  const logs: Listeners = listeners.onLog ? { onLog: listeners.onLog } : {};
  for (;;) {
    // let pending events in (Ctrl-C, a worker's "abort" message) before claiming the next probe
    await new Promise((resolve) => setImmediate(resolve));
    if (signal?.aborted === true) break;
    const name = job.names[Atomics.add(counters, 0, 1)];
    if (name === undefined) break;
    listeners.onProgress?.({
      stage: "probes",
      done: Atomics.load(counters, 1),
      total,
      unit: "probes",
      message: `running ${name}`,
    });
    if (name.startsWith(NATURAL_PREFIX)) {
      const probe = name.slice(NATURAL_PREFIX.length);
      const { context, options: naturalOptions } = naturalSetup();
      const ran = await runProbes(context, createProbes(naturalOptions, [probe]), logs);
      results.push(...ran.map((r) => ({ ...r, name })));
    } else {
      results.push(...(await runProbes(loaded.context, createProbes(options, [name]), logs)));
    }
    const done = Atomics.add(counters, 1, 1) + 1;
    listeners.onProgress?.({
      stage: "probes",
      done,
      total,
      unit: "probes",
      message: done === total ? "done" : `${name} done`,
    });
  }
  return results;
}

/** A worker's share of the queue: loads the run, drains the queue, disposes. */
export async function probeQueueWorker(
  job: ProbeQueueJob,
  listeners: Listeners,
  signal: AbortSignal,
): Promise<ProbeResult[]> {
  const loaded = await loadRunProbes(job.runRoot, job.config);
  try {
    return await drainProbeQueue(loaded, job, listeners, signal);
  } finally {
    await loaded.dispose();
  }
}
