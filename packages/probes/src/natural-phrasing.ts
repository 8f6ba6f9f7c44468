/**
 * Template and natural-phrasing scores side by side. The probes ask in the SFT generators' own
 * templates (held-out values, not held-out wording); this module gives each chat probe its
 * natural-phrasing input (eval-sets/, written apart from the generators), merges the natural run's
 * metrics into the template result as `natural.<metric>` (with its finding and a few transcripts
 * in `details.natural`), and lists the headline metric of every probe with both scores for the
 * report's comparison table. Reference: the "written apart from the training generators" rule of
 * the developers' guide. Leaves out: natural phrasing for the probes that ask no chat question
 * (tokens-not-words, base-model-as-repeater), which the table marks as such.
 */
import type { ProbeResult, Task } from "@llm/core";
import {
  naturalDecimalTasks,
  naturalIdentityPrompts,
  naturalKnowledgeTasks,
  naturalLetterTasks,
  naturalSmallTalkTasks,
  naturalWordCountTasks,
} from "./eval-sets/natural-eval-sets.js";
import { formatPercent } from "./format.js";
import type { ReportTable } from "./report/report-section.js";

/** The probes that have a natural-phrasing set, in report order. */
export const NATURAL_PROBE_NAMES = [
  "letter-counting",
  "decimal-comparison",
  "reasoning-order",
  "identity",
  "knowledge-and-refusal",
  "small-talk",
  "rl-gain",
] as const;

/** `limit` items spread evenly over a list (all of it when it has no more). */
function spread<T>(items: readonly T[], limit: number | undefined): T[] {
  if (limit === undefined || items.length <= limit) return [...items];
  return Array.from({ length: limit }, (_, i) => items[Math.floor((i * items.length) / limit)] as T);
}

/**
 * The natural-phrasing inputs of every natural probe, from a context's template inputs (which give
 * the identity name and the held-out entities). `limit` caps each set (spread over it; knowledge:
 * per side); rl-gain asks the natural letter questions, `rlGainLimit` of them (default `limit`).
 */
export function naturalProbeInputs(
  inputs: Record<string, unknown>,
  options: { limit?: number; rlGainLimit?: number } = {},
): Record<string, unknown> {
  const { limit } = options;
  const out: Record<string, unknown> = {
    "letter-counting": spread(naturalLetterTasks(), limit),
    "decimal-comparison": spread(naturalDecimalTasks(), limit),
    "reasoning-order": spread(naturalWordCountTasks(), limit),
    "small-talk": spread(naturalSmallTalkTasks(), limit),
    "rl-gain": { tasks: spread(naturalLetterTasks(), options.rlGainLimit ?? limit) },
  };
  const identity = inputs.identity as { name?: string } | undefined;
  if (identity?.name) out.identity = { ...identity, prompts: spread(naturalIdentityPrompts(), limit) };
  const knowledge = inputs["knowledge-and-refusal"] as { known: Task[]; unknown: Task[] } | undefined;
  if (knowledge) {
    const natural = naturalKnowledgeTasks(knowledge);
    out["knowledge-and-refusal"] = {
      known: spread(natural.known, limit),
      unknown: spread(natural.unknown, limit),
    };
  }
  return out;
}

/** The template result with the natural run's metrics as `natural.<metric>` and its finding in details. */
export function withNaturalScores(template: ProbeResult, natural: ProbeResult): ProbeResult {
  const metrics = { ...template.metrics };
  for (const [k, v] of Object.entries(natural.metrics)) metrics[`natural.${k}`] = v;
  return {
    ...template,
    metrics,
    finding: `${template.finding} In natural phrasing: ${natural.finding}`,
    details: {
      ...template.details,
      natural: { finding: natural.finding, examples: natural.examples },
    },
  };
}

/** The headline metrics of each probe: [label, metric suffix after the stage]. */
const HEADLINES: Record<string, Array<[string, string]>> = {
  "letter-counting": [["letters with the tool", "toolAccuracy"]],
  "decimal-comparison": [
    ["decimals with the tool, asked-for number first", "tool.answerFirstAccuracy"],
    ["decimals with the tool, asked-for number second", "tool.answerSecondAccuracy"],
    ['decimals with the tool, "which is smaller"', "tool.smallerAccuracy"],
  ],
  "reasoning-order": [
    ["word counting, steps first", "stepsFirst.accuracy"],
    ["word counting, answer first", "answerFirst.accuracy"],
  ],
  identity: [["identity", "identityRate"]],
  "knowledge-and-refusal": [
    ["refusal on unknown entities", "unknownRefusalRate"],
    ["false refusal on known entities", "knownFalseRefusalRate"],
    ["entity name copied exactly into search()", "searchExactNameRate"],
  ],
  "small-talk": [["greetings and small talk answered as such", "smallTalkRate"]],
  "rl-gain": [["letters, pass@1 at the RL temperature", "passAt1"]],
};

/** A metric of the latest stage that has it (rl, then sft, then base); reasoning-order's have no stage. */
function latest(
  metrics: Record<string, number>,
  suffix: string,
): { stage: string; value: number } | undefined {
  if (metrics[suffix] !== undefined) return { stage: "sft variants", value: metrics[suffix] };
  for (const stage of ["rl", "sft", "base"]) {
    const value = metrics[`${stage}.${suffix}`];
    if (value !== undefined) return { stage, value };
  }
  return undefined;
}

function cell(found: { stage: string; value: number } | undefined): string {
  if (found === undefined || Number.isNaN(found.value)) return "not measured";
  return `${formatPercent(found.value)} (${found.stage})`;
}

/**
 * One row per headline metric of every probe: the template score and the natural-phrasing score
 * (the latest model stage measured in each; "not measured" when a probe has no natural run).
 */
export function naturalComparisonTable(results: readonly ProbeResult[]): ReportTable {
  const rows: Array<Array<string | number>> = [];
  for (const result of results) {
    const headlines = HEADLINES[result.name];
    if (!headlines) {
      rows.push([result.name, "(no chat question)", "see the probe", "not applicable"]);
      continue;
    }
    const natural: Record<string, number> = {};
    for (const [k, v] of Object.entries(result.metrics))
      if (k.startsWith("natural.")) natural[k.slice("natural.".length)] = v;
    for (const [label, suffix] of headlines) {
      rows.push([result.name, label, cell(latest(result.metrics, suffix)), cell(latest(natural, suffix))]);
    }
  }
  return { columns: ["probe", "measure", "template questions", "natural phrasing"], rows };
}
