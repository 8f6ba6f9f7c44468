/**
 * letter-counting probe: the model sees tokens, not letters, so it miscounts the r's in
 * "strawberry"; writing code (a tool call) fixes what tokens make hard. Asks every model stage to
 * count a letter in held-out words twice: answering directly (tools off: a call is not run, so the
 * answer must come from the model's own tokens) and with the tool (tools on).
 * Inputs: `inputs["letter-counting"]`: Task[] whose answer is the count; default:
 * defaultLetterCountingTasks() (@llm/sft's held-out split). Scoring: on the assistant's own text
 * after its last tool output, the number after "####" when present, else the last number (digits
 * or zero..twenty), must equal the answer. With tools on, the probe also records how often the
 * model called the tool and how often it was right when it did: a model taught two ways (spelling
 * out, or the tool) chooses between them, and RL can learn which one pays. A call whose code never
 * closes (a small model that fails to copy the word can loop inside the string literal) is not a
 * call; the probe counts those apart, as unclosed calls, so that they are not read as choosing to
 * spell.
 * Reference: nanochat's SpellingBee task. Leaves out: spelling accuracy (only the count is scored).
 */
import type { ModelStage, Probe, ProbeContext, ProbeResult, Task, Transcript } from "@llm/core";
import { chatOnceToolModes } from "../chat-once.js";
import { capitalize, formatPercent, formatPoints, gapSize, stageLabel } from "../format.js";
import { loadSft } from "../load-sft.js";
import { asTasks, inputOf, pickExamples, primaryStage, rate, requireStageEngines } from "../probe-helpers.js";
import type { ChartSpec } from "../report/report-section.js";
import { answerMatches } from "../scoring/answer-number.js";

/** The special token that opens a tool call. */
const PYTHON_START = "<|python_start|>";

export interface LetterCountingOptions {
  /** Stages to ask. Default: every stage the context has. */
  stages?: ModelStage[];
  /** Number of default tasks when the context gives none. Default 24. */
  count?: number;
  /** Token budget per answer. Default 256. */
  maxTokens?: number;
  /** Transcripts kept in the result. Default 4. */
  maxExamples?: number;
}

/** Held-out letter-counting tasks: @llm/sft's eval split (words never seen in its training tasks). */
export async function defaultLetterCountingTasks(count = 24): Promise<Task[]> {
  return (await loadSft()).letterCountTasks({ evalCount: count }).eval;
}

export function letterCountingProbe(options: LetterCountingOptions = {}): Probe {
  const name = "letter-counting";
  return {
    name,
    title: "Counting letters: tokens, not letters",
    claim: "The model sees tokens, not letters, so it miscounts letters in words; a tool call fixes it.",
    async run(context: ProbeContext): Promise<ProbeResult> {
      const engines = requireStageEngines(context, name, options.stages);
      const given = inputOf(context, name);
      const tasks =
        given === undefined ? await defaultLetterCountingTasks(options.count ?? 24) : asTasks(given, name);
      const maxTokens = options.maxTokens ?? 256;
      const metrics: Record<string, number> = { tasks: tasks.length };
      const transcripts: Transcript[] = [];
      const chart: ChartSpec = {
        type: "bar",
        percent: true,
        yLabel: "accuracy",
        series: [
          { name: "direct", data: [] },
          { name: "with tool", data: [] },
        ],
      };
      for (const [stage, engine] of engines) {
        const direct: boolean[] = [];
        const tool: boolean[] = [];
        const calls: boolean[] = [];
        const unclosed: boolean[] = [];
        for (const task of tasks) {
          // directly and with the tool; one engine call decodes what the two share once
          const { direct: a, tool: b } = await chatOnceToolModes(engine, task.prompt, {
            temperature: 0,
            maxTokens,
            seed: context.seed,
          });
          const okA = answerMatches(a.finalText, task.answer);
          direct.push(okA);
          const okB = answerMatches(b.finalText, task.answer);
          tool.push(okB);
          calls.push(b.toolCalls.length > 0);
          // a finished call is in toolCalls; the opening marker left in the text is one that never closed
          unclosed.push(b.text.includes(PYTHON_START));
          transcripts.push(
            { model: `${stage} (direct)`, prompt: task.prompt, output: a.completion, correct: okA },
            { model: `${stage} (tool)`, prompt: task.prompt, output: b.completion, correct: okB },
          );
        }
        metrics[`${stage}.directAccuracy`] = rate(direct);
        metrics[`${stage}.toolAccuracy`] = rate(tool);
        metrics[`${stage}.toolCallRate`] = rate(calls);
        metrics[`${stage}.unclosedToolCallRate`] = rate(unclosed);
        const whenCalled = tool.filter((_, i) => calls[i]);
        if (whenCalled.length > 0) metrics[`${stage}.toolCallAccuracy`] = rate(whenCalled);
        chart.series[0]!.data.push({ x: stage, y: rate(direct) });
        chart.series[1]!.data.push({ x: stage, y: rate(tool) });
      }
      return {
        name,
        title: this.title,
        metrics,
        examples: pickExamples(transcripts, options.maxExamples ?? 4),
        finding: letterCountingFinding(metrics),
        details: { chart },
      };
    },
  };
}

/** The finding sentence, from the metrics alone. */
export function letterCountingFinding(metrics: Record<string, number>): string {
  const stages = (["base", "sft", "rl"] as const).filter((s) => metrics[`${s}.directAccuracy`] !== undefined);
  const stage = primaryStage(stages);
  if (stage === undefined) return "No model stage was measured.";
  const direct = metrics[`${stage}.directAccuracy`]!;
  const tool = metrics[`${stage}.toolAccuracy`]!;
  const delta = tool - direct;
  const who = stageLabel(stage);
  let sentence: string;
  if (gapSize(delta) === "same") {
    sentence = `${capitalize(who)} counts letters correctly about as often with the tool (${formatPercent(tool)}) as answering directly (${formatPercent(direct)}, ${formatPoints(delta)})`;
  } else if (delta > 0) {
    sentence = `With the tool, ${who} counts letters correctly ${formatPercent(tool)} of the time vs ${formatPercent(direct)} answering directly (${formatPoints(delta)})`;
  } else {
    sentence = `With the tool, ${who} counts letters correctly only ${formatPercent(tool)} of the time, below ${formatPercent(direct)} answering directly (${formatPoints(delta)})`;
  }
  sentence += callClause(metrics, stage);
  const others = stages
    .filter((s) => s !== stage)
    .map(
      (s) =>
        `${stageLabel(s)}: ${formatPercent(metrics[`${s}.directAccuracy`]!)} direct, ${formatPercent(metrics[`${s}.toolAccuracy`]!)} with the tool${callClause(metrics, s)}`,
    );
  return `${sentence}${others.length > 0 ? `; ${others.join("; ")}` : ""}.`;
}

/**
 * How often a stage called the tool when it could, how often it was right then, and how often a call
 * it started never closed; only when it did not always call it.
 */
function callClause(metrics: Record<string, number>, stage: string): string {
  const rate = metrics[`${stage}.toolCallRate`];
  const accuracy = metrics[`${stage}.toolCallAccuracy`];
  if (rate === undefined || rate === 0 || rate === 1 || stage === "base") return "";
  const unclosed = metrics[`${stage}.unclosedToolCallRate`] ?? 0;
  const right = accuracy === undefined ? "" : ` (right ${formatPercent(accuracy)} of the time when it did)`;
  const broken =
    unclosed > 0 ? ` and starting one whose code never closed for ${formatPercent(unclosed)}` : "";
  return `, calling the tool for ${formatPercent(rate)} of the words${right}${broken}`;
}
