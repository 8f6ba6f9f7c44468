/**
 * decimal-comparison probe: a model may call 9.11 larger than 9.9. Asks every model stage which of
 * two decimals is larger, on adversarial pairs (the number with more digits after the point is the
 * smaller one, like 9.11 vs 9.9) and control pairs (it is the larger one, or both have as many
 * digits), directly (tools off) and with the tool (tools on).
 * Inputs: `inputs["decimal-comparison"]`: Task[] with metadata { a, b, adversarial } and the larger
 * number as answer; default: defaultDecimalComparisonTasks(). Scoring: the last number in the
 * assistant's own text (after its last tool output) that is one of the two candidates must be the
 * larger one (the smaller one for tasks with metadata.want "min": "which is smaller?"); an answer
 * naming neither is wrong.
 * Reference: the "9.11 > 9.9" failure discussed in "Deep Dive into LLMs like ChatGPT".
 * Leaves out: comparisons of more than two numbers.
 */
import type { ModelStage, Probe, ProbeContext, ProbeResult, Task, Transcript } from "@llm/core";
import { LlmError } from "@llm/core";
import { type ChatReply, chatOnceToolModes } from "../chat-once.js";
import { capitalize, formatPercent, formatPoints, gapSize, stageLabel } from "../format.js";
import { loadSft } from "../load-sft.js";
import { asTasks, inputOf, pickExamples, primaryStage, rate, requireStageEngines } from "../probe-helpers.js";
import type { ChartSpec } from "../report/report-section.js";
import { extractMarkedAnswer } from "../scoring/answer-number.js";
import { extractChoice } from "../scoring/extract-numbers.js";

export interface DecimalComparisonOptions {
  /** Stages to ask. Default: every stage the context has. */
  stages?: ModelStage[];
  /** Number of default tasks when the context gives none. Default 24. */
  count?: number;
  /** Token budget per answer. Default 128. */
  maxTokens?: number;
  /** Transcripts kept in the result. Default 4. */
  maxExamples?: number;
}

/** Digits after the decimal point as written ("9.11" -> 2). */
function decimals(text: string): number {
  return text.includes(".") ? text.split(".")[1]!.length : 0;
}

/** Adversarial: the number with more digits after the point is the smaller one (9.11 vs 9.9). */
export function isAdversarialPair(a: string, b: string): boolean {
  if (decimals(a) === decimals(b)) return false;
  const longer = decimals(a) > decimals(b) ? a : b;
  const other = longer === a ? b : a;
  return Number(longer) < Number(other);
}

/**
 * Held-out pairs from @llm/sft's eval split (about 60% of them "traps" like 9.9 vs 9.11), each
 * marked adversarial or control by isAdversarialPair.
 */
export async function defaultDecimalComparisonTasks(count = 24): Promise<Task[]> {
  return (await loadSft()).decimalCompareTasks({ evalCount: count }).eval;
}

function isAdversarial(task: Task): boolean {
  if (typeof task.metadata?.adversarial === "boolean") return task.metadata.adversarial;
  return isAdversarialPair(String(task.metadata?.a), String(task.metadata?.b));
}

function candidatesOf(task: Task): [number, number] {
  const a = Number(task.metadata?.a);
  const b = Number(task.metadata?.b);
  if (!Number.isFinite(a) || !Number.isFinite(b)) {
    throw new LlmError("INVALID_INPUT", `Decimal task ${task.id} lacks numeric metadata.a and metadata.b.`, {
      input: task.id,
      hint: "Give each decimal-comparison task metadata { a, b, adversarial }.",
    });
  }
  return [a, b];
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Removes "a or b" / "b vs a" echoes of the question's pair from a reply. */
export function withoutEcho(text: string, task: Task): string {
  const a = String(task.metadata?.a);
  const b = String(task.metadata?.b);
  const joiner = "\\s*(?:or|vs\\.?|versus|and|,)\\s*";
  let out = text;
  for (const [x, y] of [
    [a, b],
    [b, a],
  ]) {
    out = out.replace(
      new RegExp(`(?<![\\d.])${escapeRegex(x!)}${joiner}${escapeRegex(y!)}(?![\\d])`, "gi"),
      " ",
    );
  }
  return out;
}

export function decimalComparisonProbe(options: DecimalComparisonOptions = {}): Probe {
  const name = "decimal-comparison";
  return {
    name,
    title: "Comparing decimals: is 9.11 larger than 9.9?",
    claim: "Models may call 9.11 larger than 9.9; a tool call gets it right.",
    async run(context: ProbeContext): Promise<ProbeResult> {
      const engines = requireStageEngines(context, name, options.stages);
      const given = inputOf(context, name);
      const tasks =
        given === undefined ? await defaultDecimalComparisonTasks(options.count ?? 24) : asTasks(given, name);
      const maxTokens = options.maxTokens ?? 128;
      const metrics: Record<string, number> = {
        "tasks.adversarial": tasks.filter((t) => isAdversarial(t)).length,
        "tasks.control": tasks.filter((t) => !isAdversarial(t)).length,
      };
      const transcripts: Transcript[] = [];
      const chart: ChartSpec = { type: "bar", percent: true, yLabel: "accuracy", series: [] };
      for (const mode of ["direct", "tool"] as const) {
        for (const kind of ["adversarial", "control"] as const) {
          chart.series.push({ name: `${kind}, ${mode === "tool" ? "with tool" : "direct"}`, data: [] });
        }
      }
      for (const [stage, engine] of engines) {
        // every question directly and with the tool; one engine call decodes what the two share once
        const replies: Array<{ direct: ChatReply; tool: ChatReply }> = [];
        for (const task of tasks) {
          replies.push(
            await chatOnceToolModes(engine, task.prompt, {
              temperature: 0,
              maxTokens,
              seed: context.seed,
            }),
          );
        }
        for (const mode of ["direct", "tool"] as const) {
          const results = { adversarial: [] as boolean[], control: [] as boolean[] };
          // which of the two is asked for comes first, or second; "which is smaller?" questions apart
          const byOrder = {
            answerFirst: [] as boolean[],
            answerSecond: [] as boolean[],
            smaller: [] as boolean[],
          };
          for (const [i, task] of tasks.entries()) {
            const candidates = candidatesOf(task);
            const reply = (replies[i] as { direct: ChatReply; tool: ChatReply })[mode];
            const marked = extractMarkedAnswer(reply.finalText);
            const choice = extractChoice(marked ?? withoutEcho(reply.finalText, task), candidates);
            // "which is smaller?" questions (metadata.want "min") want the smaller number
            const target = task.metadata?.want === "min" ? Math.min(...candidates) : Math.max(...candidates);
            const ok = choice !== undefined && Math.abs(choice - target) < 1e-9;
            results[isAdversarial(task) ? "adversarial" : "control"].push(ok);
            byOrder[Math.abs(candidates[0] - target) < 1e-9 ? "answerFirst" : "answerSecond"].push(ok);
            if (task.metadata?.want === "min") byOrder.smaller.push(ok);
            transcripts.push({
              model: `${stage} (${mode})`,
              prompt: task.prompt,
              output: reply.completion,
              correct: ok,
            });
          }
          for (const kind of ["adversarial", "control"] as const) {
            const value = rate(results[kind]);
            metrics[`${stage}.${mode}.${kind}Accuracy`] = value;
            chart.series
              .find((s) => s.name === `${kind}, ${mode === "tool" ? "with tool" : "direct"}`)!
              .data.push({ x: stage, y: value });
          }
          metrics[`${stage}.${mode}.answerFirstAccuracy`] = rate(byOrder.answerFirst);
          metrics[`${stage}.${mode}.answerSecondAccuracy`] = rate(byOrder.answerSecond);
          if (byOrder.smaller.length > 0) metrics[`${stage}.${mode}.smallerAccuracy`] = rate(byOrder.smaller);
        }
      }
      const example = tasks.find((t) => isAdversarial(t));
      return {
        name,
        title: this.title,
        metrics,
        examples: pickExamples(transcripts, options.maxExamples ?? 4),
        finding: decimalComparisonFinding(metrics, example ? candidatesOf(example) : undefined),
        details: { chart },
      };
    },
  };
}

/** The finding sentence, from the metrics (and one adversarial pair to name). */
export function decimalComparisonFinding(
  metrics: Record<string, number>,
  pair?: readonly [number, number],
): string {
  const stages = (["base", "sft", "rl"] as const).filter(
    (s) => metrics[`${s}.direct.adversarialAccuracy`] !== undefined,
  );
  const stage = primaryStage(stages);
  if (stage === undefined) return "No model stage was measured.";
  const adv = metrics[`${stage}.direct.adversarialAccuracy`]!;
  const ctl = metrics[`${stage}.direct.controlAccuracy`]!;
  const advTool = metrics[`${stage}.tool.adversarialAccuracy`]!;
  const like = pair ? ` (e.g. ${pair[0]} and ${pair[1]})` : "";
  const who = stageLabel(stage);
  const gap = adv - ctl;
  let sentence: string;
  if (Number.isNaN(ctl)) {
    sentence = `Answering directly, ${who} picks the larger number in ${formatPercent(adv)} of adversarial pairs${like}`;
  } else if (gapSize(gap) === "same") {
    sentence = `Answering directly, ${who} picks the larger number about as often on adversarial pairs${like} as on control pairs (${formatPercent(adv)} vs ${formatPercent(ctl)})`;
  } else if (gap < 0) {
    sentence = `Answering directly, ${who} picks the larger number in only ${formatPercent(adv)} of adversarial pairs${like} vs ${formatPercent(ctl)} of control pairs (${formatPoints(gap)})`;
  } else {
    sentence = `Answering directly, ${who} picks the larger number in ${formatPercent(adv)} of adversarial pairs${like}, more often than in control pairs (${formatPercent(ctl)}, ${formatPoints(gap)})`;
  }
  const toolGap = advTool - adv;
  const toolClause =
    gapSize(toolGap) === "same"
      ? `; the tool does not change that (${formatPercent(advTool)})`
      : `; with the tool it gets ${formatPercent(advTool)} of adversarial pairs right (${formatPoints(toolGap)})`;
  return `${capitalize(sentence)}${toolClause}.`;
}
