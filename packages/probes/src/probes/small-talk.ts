/**
 * small-talk probe: a chat model answers "Hello!" with a greeting, not with the task it was
 * trained on most ("My name is Nano.", a tool call, a word count). Asks greetings, how-are-you,
 * thanks and goodbyes to every chat stage and counts the replies that answer as small talk.
 * Inputs: `inputs["small-talk"]`: Task[] (the prompt; metadata.lang optional); default: @llm/sft's
 * held-out small-talk prompts (smallTalkTasks().eval). Scoring: isSmallTalkReply (a greeting, a
 * how-are-you answer, "you're welcome", a goodbye or an offer to help; no tool call, no "####").
 * Reference: the conversational openings of chat SFT mixtures (oasst2, SmolTalk).
 * Leaves out: multi-turn small talk, judging the tone.
 */
import type { ModelStage, Probe, ProbeContext, ProbeResult, Task, Transcript } from "@llm/core";
import { chatOnce } from "../chat-once.js";
import { capitalize, formatPercent, formatPoints, stageLabel } from "../format.js";
import { loadSft } from "../load-sft.js";
import { asTasks, inputOf, pickExamples, primaryStage, rate, requireStageEngines } from "../probe-helpers.js";
import type { ChartSpec } from "../report/report-section.js";
import { isSmallTalkReply } from "../scoring/is-small-talk-reply.js";

export interface SmallTalkOptions {
  /** Stages to ask. Default: every stage the context has. */
  stages?: ModelStage[];
  /** Token budget per answer. Default 48. */
  maxTokens?: number;
  /** Transcripts kept in the result. Default 4. */
  maxExamples?: number;
}

/** @llm/sft's held-out greetings and small talk. */
export async function defaultSmallTalkTasks(): Promise<Task[]> {
  return (await loadSft()).smallTalkTasks().eval;
}

export function smallTalkProbe(options: SmallTalkOptions = {}): Probe {
  const name = "small-talk";
  return {
    name,
    title: 'Small talk: "Hello!" answered with a greeting',
    claim: "A chat model answers greetings and small talk as such, not with the task it trained on most.",
    async run(context: ProbeContext): Promise<ProbeResult> {
      const engines = requireStageEngines(context, name, options.stages);
      const given = inputOf(context, name);
      const tasks = given === undefined ? await defaultSmallTalkTasks() : asTasks(given, name);
      const metrics: Record<string, number> = { prompts: tasks.length };
      const transcripts: Transcript[] = [];
      const chart: ChartSpec = {
        type: "bar",
        percent: true,
        yLabel: "answered as small talk",
        series: [{ name: "small talk", data: [] }],
      };
      for (const [stage, engine] of engines) {
        const ok: boolean[] = [];
        for (const task of tasks) {
          const reply = await chatOnce(engine, task.prompt, {
            tools: true,
            temperature: 0,
            maxTokens: options.maxTokens ?? 48,
            seed: context.seed,
          });
          const good = isSmallTalkReply(reply);
          ok.push(good);
          transcripts.push({ model: stage, prompt: task.prompt, output: reply.completion, correct: good });
        }
        metrics[`${stage}.smallTalkRate`] = rate(ok);
        chart.series[0]!.data.push({ x: stage, y: rate(ok) });
      }
      return {
        name,
        title: this.title,
        metrics,
        examples: pickExamples(transcripts, options.maxExamples ?? 4),
        finding: smallTalkFinding(metrics),
        details: { chart },
      };
    },
  };
}

/** The finding sentence, from the metrics alone. */
export function smallTalkFinding(metrics: Record<string, number>): string {
  const stages = (["base", "sft", "rl"] as const).filter((s) => metrics[`${s}.smallTalkRate`] !== undefined);
  const stage = primaryStage(stages);
  if (stage === undefined) return "No model stage was measured.";
  const value = metrics[`${stage}.smallTalkRate`]!;
  let sentence = `${capitalize(stageLabel(stage))} answers ${formatPercent(value)} of greetings and small talk as such`;
  if (stage !== "base" && metrics["base.smallTalkRate"] !== undefined) {
    const base = metrics["base.smallTalkRate"];
    sentence += ` vs ${formatPercent(base)} for the base model (${formatPoints(value - base)})`;
  }
  const others = stages
    .filter((s) => s !== stage && s !== "base")
    .map((s) => `${stageLabel(s)}: ${formatPercent(metrics[`${s}.smallTalkRate`]!)}`);
  return `${sentence}${others.length > 0 ? `; ${others.join("; ")}` : ""}.`;
}
