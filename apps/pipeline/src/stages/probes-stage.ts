/**
 * The probes stage: loads every model the run produced (base, sft, sft-answer-first, rl) with
 * @llm/probes' loadProbeContext (chat engines with the QuickJS tool sandbox, the base model as a
 * raw-text continuation engine and generator, the run's held-out sets from eval/), runs every
 * probe and writes probes/results.json; then samples each model on the report's fixed prompts
 * (probes/samples.json).
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { Task } from "@llm/core";
import { LlmError, writeJsonAtomic } from "@llm/core";
import { initBackend } from "@llm/model";
import { createProbes, loadProbeContext, PROBE_NAMES, type ProbeOptions, runProbes } from "@llm/probes";
import { collectChat } from "@llm/sft";
import type { StageContext } from "../run-pipeline.js";
import type { EvalSets } from "./sft-data.js";

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

export async function probesStage(context: StageContext): Promise<Record<string, unknown>> {
  const { run, config } = context;
  const pc = config.probes;
  const n = pc.itemsPerProbe;
  await initBackend(context.backend, { listeners: context.listeners });
  const sets = await readJson<EvalSets>(run.evalPath("sft"));
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
  const loaded = await loadProbeContext(run.root, {
    itemsPerProbe: n,
    seed: config.seed,
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
      // the steps-first and answer-first variants differ in arithmetic and word counting alike
      ...(config.sft.reasoningTask === "word-count" && sets?.wordCount
        ? { "reasoning-order": sets.wordCount.slice(0, n) }
        : {}),
    },
  });
  try {
    const maxTokens = pc.maxNewTokens;
    // Tool use is an SFT/RL skill; identity and refusal compare base with SFT (the claims' contrasts).
    const options: ProbeOptions = {
      "letter-counting": { maxTokens, stages: ["sft", "rl"] },
      "decimal-comparison": { maxTokens, stages: ["sft", "rl"] },
      "reasoning-order": { maxTokens },
      identity: { maxTokens, stages: ["base", "sft"] },
      "knowledge-and-refusal": { maxTokens, stages: ["base", "sft"] },
      "base-model-as-repeater": { maxPassages: n },
      // pass@1 at the temperature RL sampled and measured at (rl.temperature).
      "rl-gain": { maxTokens, samples: 4, temperature: config.rl.temperature },
    };
    const names = pc.names.length > 0 ? pc.names : [...PROBE_NAMES];
    const results = await runProbes(loaded.context, createProbes(options, names), context.listeners);
    await writeJsonAtomic(run.probesPath, results);

    const samples: Array<{ prompt: string; outputs: Record<string, string> }> = [];
    for (const prompt of config.report.samplePrompts) {
      const outputs: Record<string, string> = {};
      for (const stage of ["base", "sft", "rl"] as const) {
        const engine = loaded.context.engines[stage];
        if (!engine) continue;
        const turn = await collectChat(engine, [{ role: "user", content: prompt }], {
          maxTokens: config.report.maxNewTokens,
          temperature: 0,
        });
        outputs[stage === "base" ? "base (continues the text)" : stage] = turn.text;
      }
      samples.push({ prompt, outputs });
    }
    await writeJsonAtomic(run.path("probes", "samples.json"), samples);
    const metrics: Record<string, unknown> = { probes: results.length, models: loaded.models };
    for (const r of results) for (const [k, v] of Object.entries(r.metrics)) metrics[`${r.name}.${k}`] = v;
    return metrics;
  } finally {
    await loaded.dispose();
  }
}
