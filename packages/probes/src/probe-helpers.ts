/**
 * Helpers shared by the probes: which model stages a context has, reading a probe's inputs with a
 * clear error when they are malformed, and choosing a few transcripts to show. A probe that cannot
 * run on a context (no model for it, no inputs) throws LlmError("INVALID_INPUT"), which runProbes
 * records as a skipped probe. Reference: none. Leaves out: caching of model replies across probes.
 */
import type { ChatEngine, ModelStage, ProbeContext, Task, Transcript } from "@llm/core";
import { LlmError } from "@llm/core";

/** Model stages in pipeline order. */
export const STAGES: readonly ModelStage[] = ["base", "sft", "rl"];

/** The chat engines of `wanted` stages that the context has, in pipeline order. */
export function stageEngines(
  context: ProbeContext,
  wanted: readonly ModelStage[] = STAGES,
): Array<[ModelStage, ChatEngine]> {
  const out: Array<[ModelStage, ChatEngine]> = [];
  for (const stage of STAGES) {
    const engine = context.engines[stage];
    if (wanted.includes(stage) && engine) out.push([stage, engine]);
  }
  return out;
}

/** stageEngines, or the "cannot run" error naming the probe when the context has none of them. */
export function requireStageEngines(
  context: ProbeContext,
  probe: string,
  wanted: readonly ModelStage[] = STAGES,
): Array<[ModelStage, ChatEngine]> {
  const engines = stageEngines(context, wanted);
  if (engines.length === 0) {
    notRunnable(probe, "the context has no chat engine.", `Give context.engines.${wanted.join(", .")}.`);
  }
  return engines;
}

/** The stage a finding speaks about: SFT when present, then RL, then base. */
export function primaryStage<T extends string>(stages: readonly T[]): T | undefined {
  for (const s of ["sft", "rl", "base"]) if (stages.includes(s as T)) return s as T;
  return stages[0];
}

/** Throws the "cannot run on this context" error that runProbes turns into a skipped result. */
export function notRunnable(probe: string, message: string, hint: string): never {
  throw new LlmError("INVALID_INPUT", `Probe ${probe}: ${message}`, { input: probe, hint });
}

/** Reads context.inputs[key]; undefined when absent. */
export function inputOf(context: ProbeContext, key: string): unknown {
  return context.inputs?.[key];
}

/** Validates a list of tasks given as a probe input. */
export function asTasks(value: unknown, key: string): Task[] {
  if (!Array.isArray(value)) {
    throw new LlmError("INVALID_INPUT", `Probe input ${key} must be an array of tasks.`, {
      input: key,
      hint: "Pass [{ id, kind, prompt, answer }, ...] (the Task type of @llm/core).",
    });
  }
  return value.map((task, i) => {
    const t = task as Partial<Task>;
    if (typeof t?.prompt !== "string" || typeof t.answer !== "string") {
      throw new LlmError(
        "INVALID_INPUT",
        `Probe input ${key}[${i}] is not a task with a prompt and an answer.`,
        {
          input: `${key}[${i}]`,
          hint: "Each task needs string fields `prompt` and `answer`.",
        },
      );
    }
    return {
      id: t.id ?? String(i),
      kind: t.kind ?? key,
      prompt: t.prompt,
      answer: t.answer,
      ...(t.metadata ? { metadata: t.metadata } : {}),
    };
  });
}

/** Validates a list of strings given as a probe input. */
export function asStrings(value: unknown, key: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw new LlmError("INVALID_INPUT", `Probe input ${key} must be an array of strings.`, {
      input: key,
      hint: `Pass ${key} as ["...", "..."].`,
    });
  }
  return value as string[];
}

/** Up to `max` transcripts, wrong and right answers alternating, in their original order. */
export function pickExamples(transcripts: readonly Transcript[], max: number): Transcript[] {
  const wrong = transcripts.filter((t) => t.correct === false);
  const right = transcripts.filter((t) => t.correct !== false);
  const picked: Transcript[] = [];
  while (picked.length < max && (wrong.length > 0 || right.length > 0)) {
    const next = (picked.length % 2 === 0 ? wrong.shift() : right.shift()) ?? wrong.shift() ?? right.shift();
    if (next) picked.push(next);
  }
  return transcripts.filter((t) => picked.includes(t));
}

/** Fraction of `true` in a list; NaN for an empty list. */
export function rate(flags: readonly boolean[]): number {
  if (flags.length === 0) return Number.NaN;
  return flags.filter(Boolean).length / flags.length;
}
