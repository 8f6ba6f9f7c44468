/**
 * rl-gain probe: RL improves on what SFT taught. Samples several answers per held-out task from
 * the SFT and the RL model, scores them with a reward function and reports the mean reward and
 * pass@1 (the chance that one sample is correct, estimated as correct samples / samples) of each.
 * Inputs: `inputs["rl-gain"]`: { tasks: Task[] } (default: @llm/sft's held-out arithmetic tasks);
 * the reward is options.reward (default @llm/rl's defaultReward, the reward RL trains on: the
 * "####" answer outside tool blocks must match the task's; numericAnswerReward is an alternative
 * for replies without the marker). A sample is correct when its reward >= passThreshold; pass@1
 * and pass@k (k = samples) use @llm/rl's unbiased estimator.
 * Reference: DeepSeekMath (GRPO), nanochat's chat_rl evaluation. Leaves out: pass@k for k > 1.
 */
import type {
  ModelStage,
  Probe,
  ProbeContext,
  ProbeResult,
  RewardFunction,
  Task,
  Transcript,
} from "@llm/core";
import { chatOnce } from "../chat-once.js";
import { formatPercent, formatPoints, gapSize, mean } from "../format.js";
import { loadSft } from "../load-sft.js";
import { asTasks, inputOf, notRunnable, pickExamples } from "../probe-helpers.js";
import type { ChartSpec } from "../report/report-section.js";
import { extractNumber } from "../scoring/extract-numbers.js";

/** 1 when the last number the assistant wrote after its last tool output equals the task's answer. */
export const numericAnswerReward: RewardFunction = (completion, task) => {
  // Tool outputs are dropped: the answer must be the assistant's own words.
  const finalText = completion
    .split("<|output_end|>")
    .pop()!
    .replace(/<\|python_start\|>[\s\S]*?<\|python_end\|>/g, "");
  const got = extractNumber(finalText, "last");
  const expected = Number(task.answer);
  const ok = got !== undefined && Math.abs(got - expected) < 1e-9;
  return { reward: ok ? 1 : 0, ...(got !== undefined ? { extracted: String(got) } : {}) };
};

export interface RlGainOptions {
  /** Scores a completion. Default @llm/rl's defaultReward (the RL stage's correctness reward). */
  reward?: RewardFunction;
  /** Samples per task and stage. Default 4. */
  samples?: number;
  /** Sampling temperature. Default 1. */
  temperature?: number;
  /** Reward at or above which a sample counts as correct. Default 1. */
  passThreshold?: number;
  /** Default tasks when the context gives none. Default 16. */
  count?: number;
  /** Token budget per answer. Default 256. */
  maxTokens?: number;
  /** Transcripts kept in the result. Default 4. */
  maxExamples?: number;
}

export function rlGainProbe(options: RlGainOptions = {}): Probe {
  const name = "rl-gain";
  return {
    name,
    title: "What RL adds to SFT",
    claim: "Reinforcement learning on checkable tasks improves on what SFT taught.",
    async run(context: ProbeContext): Promise<ProbeResult> {
      const sft = context.engines.sft;
      const rl = context.engines.rl;
      if (!sft || !rl)
        notRunnable(
          name,
          "the context lacks the SFT or the RL model.",
          "Run the RL stage and give context.engines.sft and .rl.",
        );
      const given = inputOf(context, name) as { tasks?: unknown } | undefined;
      const tasks: Task[] =
        given === undefined
          ? (await loadSft()).arithmeticTasks({ evalCount: options.count ?? 16 }).eval
          : asTasks(given.tasks, "rl-gain.tasks");
      const rlLib = await import("@llm/rl");
      const reward = options.reward ?? rlLib.defaultReward;
      const samples = options.samples ?? 4;
      const threshold = options.passThreshold ?? 1;
      const metrics: Record<string, number> = { tasks: tasks.length, samples };
      const transcripts: Transcript[] = [];
      const chart: ChartSpec = {
        type: "bar",
        series: [
          { name: "pass@1", data: [] },
          { name: "mean reward", data: [] },
        ],
      };
      for (const [stage, engine] of [
        ["sft", sft],
        ["rl", rl],
      ] as Array<[ModelStage, typeof sft]>) {
        const rewards: number[] = [];
        const correctCounts: number[] = [];
        for (const task of tasks) {
          let correct = 0;
          for (let s = 0; s < samples; s++) {
            const reply = await chatOnce(engine, task.prompt, {
              temperature: options.temperature ?? 1,
              maxTokens: options.maxTokens ?? 256,
              seed: (context.seed ?? 0) * 1000 + s,
            });
            const r = reward(reply.completion, task).reward;
            rewards.push(r);
            if (r >= threshold) correct++;
            if (s === 0)
              transcripts.push({
                model: stage,
                prompt: task.prompt,
                output: reply.completion,
                correct: r >= threshold,
              });
          }
          correctCounts.push(correct);
        }
        const passAt1 = tasks.length === 0 ? Number.NaN : rlLib.meanPassAtK(correctCounts, samples, 1);
        metrics[`${stage}.meanReward`] = mean(rewards);
        metrics[`${stage}.passAt1`] = passAt1;
        if (samples > 1)
          metrics[`${stage}.passAt${samples}`] = rlLib.meanPassAtK(correctCounts, samples, samples);
        chart.series[0]!.data.push({ x: stage, y: passAt1 });
        chart.series[1]!.data.push({ x: stage, y: mean(rewards) });
      }
      return {
        name,
        title: this.title,
        metrics,
        examples: pickExamples(transcripts, options.maxExamples ?? 4),
        finding: rlGainFinding(metrics),
        details: { chart },
      };
    },
  };
}

/** The finding sentence, from the metrics alone. */
export function rlGainFinding(metrics: Record<string, number>): string {
  const before = metrics["sft.passAt1"] ?? Number.NaN;
  const after = metrics["rl.passAt1"] ?? Number.NaN;
  const rBefore = (metrics["sft.meanReward"] ?? Number.NaN).toFixed(2);
  const rAfter = (metrics["rl.meanReward"] ?? Number.NaN).toFixed(2);
  const n = metrics.tasks ?? 0;
  const delta = after - before;
  const on = `on ${n} held-out task${n === 1 ? "" : "s"}`;
  const reward = `mean reward ${rAfter} vs ${rBefore}`;
  if (gapSize(delta) === "same") {
    return `RL leaves pass@1 ${on} about where SFT had it (${formatPercent(after)} vs ${formatPercent(before)}, ${formatPoints(delta)}; ${reward}).`;
  }
  if (delta > 0) {
    return `After RL, pass@1 ${on} is ${formatPercent(after)} vs ${formatPercent(before)} after SFT (${formatPoints(delta)}; ${reward}).`;
  }
  return `After RL, pass@1 ${on} falls to ${formatPercent(after)} from ${formatPercent(before)} after SFT (${formatPoints(delta)}; ${reward}).`;
}
