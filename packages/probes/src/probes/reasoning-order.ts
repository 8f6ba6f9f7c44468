/**
 * reasoning-order probe: each token gets a fixed amount of computation, so a model that writes
 * its steps before the answer does better than one that must answer first. Compares two SFT models
 * from the same base, trained answer-first and steps-first, on the same held-out arithmetic.
 * Inputs: context.variants["answer-first"] and context.variants["steps-first"] (names
 * configurable); `inputs["reasoning-order"]`: Task[] with a numeric answer; default: @llm/sft's
 * held-out arithmetic tasks. Scoring: tools off, greedy; the answer is the number after "####" when
 * the reply has one, else the first number of an answer-first reply and the last number of a
 * steps-first reply (or what `extract` returns).
 * Reference: "models need tokens to think" in "Deep Dive into LLMs like ChatGPT"; chain-of-thought
 * (Wei et al. 2022). Leaves out: mixing in tool use.
 */
import type { Probe, ProbeContext, ProbeResult, Transcript } from "@llm/core";
import { chatOnce } from "../chat-once.js";
import { formatPercent, formatPoints, gapSize, mean } from "../format.js";
import { loadSft } from "../load-sft.js";
import { asTasks, inputOf, notRunnable, pickExamples, rate } from "../probe-helpers.js";
import type { ChartSpec } from "../report/report-section.js";
import { answerNumber } from "../scoring/answer-number.js";

export interface ReasoningOrderOptions {
  /** Variant name of the answer-first model. Default "answer-first". */
  answerFirst?: string;
  /** Variant name of the steps-first model. Default "steps-first". */
  stepsFirst?: string;
  /** Default tasks when the context gives none. Default 24. */
  count?: number;
  /** Token budget per answer. Default 256. */
  maxTokens?: number;
  /** Reads the answer from a reply. Default: "####" marker, else first (answer-first) or last (steps-first) number. */
  extract?: (text: string, order: "answer-first" | "steps-first") => number | undefined;
  /** Transcripts kept in the result. Default 4. */
  maxExamples?: number;
}

export function reasoningOrderProbe(options: ReasoningOrderOptions = {}): Probe {
  const name = "reasoning-order";
  const answerFirstName = options.answerFirst ?? "answer-first";
  const stepsFirstName = options.stepsFirst ?? "steps-first";
  const extract =
    options.extract ??
    ((text: string, order: "answer-first" | "steps-first") =>
      answerNumber(text, order === "answer-first" ? "first" : "last"));
  return {
    name,
    title: "Reasoning order: steps before the answer",
    claim:
      "Each token gets a fixed amount of computation, so working out steps before the answer beats answering first.",
    async run(context: ProbeContext): Promise<ProbeResult> {
      const answerFirst = context.variants?.[answerFirstName];
      const stepsFirst = context.variants?.[stepsFirstName];
      if (!answerFirst || !stepsFirst) {
        notRunnable(
          name,
          `the context lacks the variants "${answerFirstName}" and "${stepsFirstName}".`,
          "Train two SFT models from the same base (answer-first and steps-first data) and pass them as context.variants.",
        );
      }
      const given = inputOf(context, name);
      const tasks =
        given === undefined
          ? (await loadSft()).arithmeticTasks({ evalCount: options.count ?? 24 }).eval
          : asTasks(given, name);
      const maxTokens = options.maxTokens ?? 256;
      const metrics: Record<string, number> = { tasks: tasks.length };
      const transcripts: Transcript[] = [];
      const chart: ChartSpec = {
        type: "bar",
        percent: true,
        yLabel: "accuracy",
        series: [{ name: "accuracy", data: [] }],
      };
      for (const [order, engine] of [
        ["answer-first", answerFirst],
        ["steps-first", stepsFirst],
      ] as const) {
        const ok: boolean[] = [];
        const lengths: number[] = [];
        for (const task of tasks) {
          const reply = await chatOnce(engine, task.prompt, {
            tools: false,
            temperature: 0,
            maxTokens,
            seed: context.seed,
          });
          const got = extract(reply.finalText, order);
          const right = got !== undefined && Math.abs(got - Number(task.answer)) < 1e-9;
          ok.push(right);
          lengths.push(reply.tokens);
          transcripts.push({ model: order, prompt: task.prompt, output: reply.completion, correct: right });
        }
        const key = order === "answer-first" ? "answerFirst" : "stepsFirst";
        metrics[`${key}.accuracy`] = rate(ok);
        metrics[`${key}.meanTokens`] = mean(lengths);
        chart.series[0]!.data.push({ x: order, y: rate(ok) });
      }
      return {
        name,
        title: this.title,
        metrics,
        examples: pickExamples(transcripts, options.maxExamples ?? 4),
        finding: reasoningOrderFinding(metrics),
        details: { chart },
      };
    },
  };
}

/** The finding sentence, from the metrics alone. */
export function reasoningOrderFinding(metrics: Record<string, number>): string {
  const steps = metrics["stepsFirst.accuracy"] ?? Number.NaN;
  const answer = metrics["answerFirst.accuracy"] ?? Number.NaN;
  const n = metrics.tasks ?? 0;
  const delta = steps - answer;
  const on = `On the same ${n} held-out problem${n === 1 ? "" : "s"}`;
  if (gapSize(delta) === "same") {
    return `${on}, the steps-first and answer-first models are right about equally often (${formatPercent(steps)} vs ${formatPercent(answer)}, ${formatPoints(delta)}).`;
  }
  if (delta > 0) {
    return `${on}, the steps-first model is right ${formatPercent(steps)} of the time vs ${formatPercent(answer)} for the answer-first model (${formatPoints(delta)}).`;
  }
  return `${on}, the steps-first model is right only ${formatPercent(steps)} of the time, below the answer-first model's ${formatPercent(answer)} (${formatPoints(delta)}).`;
}
