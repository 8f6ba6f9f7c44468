/**
 * identity probe: "who are you?" is answered from SFT data, not from self-knowledge. Asks held-out
 * paraphrases of the question, in English and Chinese, to every stage and counts the answers that
 * give the configured identity.
 * Inputs: `inputs.identity`: { name, aliases?, otherNames?, prompts? } where prompts is
 * [{ prompt, lang }]; default prompts: defaultIdentityPrompts() (@llm/sft's held-out split). The name is required (it is the
 * run's configuration). Scoring: matchesIdentity (the name or an alias as a whole word, and no
 * other assistant's name). Reference: nanochat's identity conversations.
 * Leaves out: multi-turn identity questions.
 */
import type { ModelStage, Probe, ProbeContext, ProbeResult, Transcript } from "@llm/core";
import { LlmError } from "@llm/core";
import { chatOnce } from "../chat-once.js";
import { capitalize, formatPercent, formatPoints, stageLabel } from "../format.js";
import { loadSft } from "../load-sft.js";
import {
  inputOf,
  notRunnable,
  pickExamples,
  primaryStage,
  rate,
  requireStageEngines,
} from "../probe-helpers.js";
import type { ChartSpec } from "../report/report-section.js";
import { type IdentityConfig, matchesIdentity } from "../scoring/matches-identity.js";

export interface IdentityPrompt {
  prompt: string;
  /** "en", "zh", ... */
  lang: string;
}

export interface IdentityInput extends IdentityConfig {
  prompts?: IdentityPrompt[];
}

/** @llm/sft's held-out paraphrases of "who are you?" and "what is your name?", English and Chinese. */
export async function defaultIdentityPrompts(): Promise<IdentityPrompt[]> {
  return (await loadSft())
    .identityTasks()
    .eval.filter((t) => t.metadata?.question === "who" || t.metadata?.question === "name")
    .map((t) => ({ prompt: t.prompt, lang: String(t.metadata?.lang ?? "en") }));
}

const LANG_NAMES: Record<string, string> = { en: "English", zh: "Chinese" };

function readIdentity(value: unknown): IdentityInput | undefined {
  if (value === undefined) return undefined;
  const v = value as Partial<IdentityInput>;
  if (typeof v?.name !== "string" || v.name.trim() === "") {
    throw new LlmError("INVALID_INPUT", "Probe input identity needs a non-empty string `name`.", {
      input: "identity.name",
      hint: 'Pass inputs.identity = { name: "nanochat" } (the name the SFT data taught).',
    });
  }
  return v as IdentityInput;
}

export interface IdentityOptions {
  /** Stages to ask. Default: every stage the context has. */
  stages?: ModelStage[];
  /** Token budget per answer. Default 96. */
  maxTokens?: number;
  /** Transcripts kept in the result. Default 4. */
  maxExamples?: number;
}

export function identityProbe(options: IdentityOptions = {}): Probe {
  const name = "identity";
  return {
    name,
    title: 'Identity: "who are you?" comes from SFT data',
    claim: 'A model answers "who are you?" with whatever identity its SFT data taught it.',
    async run(context: ProbeContext): Promise<ProbeResult> {
      const identity = readIdentity(inputOf(context, name));
      if (!identity) {
        notRunnable(
          name,
          "no identity is configured.",
          'Pass inputs.identity = { name: "..." } from the run config.',
        );
      }
      const engines = requireStageEngines(context, name, options.stages);
      const prompts = identity.prompts ?? (await defaultIdentityPrompts());
      const langs = [...new Set(prompts.map((p) => p.lang))];
      const metrics: Record<string, number> = { prompts: prompts.length };
      const transcripts: Transcript[] = [];
      const chart: ChartSpec = {
        type: "bar",
        percent: true,
        yLabel: `answers as ${identity.name}`,
        series: [],
      };
      for (const lang of langs) chart.series.push({ name: LANG_NAMES[lang] ?? lang, data: [] });
      for (const [stage, engine] of engines) {
        const byLang = new Map<string, boolean[]>();
        for (const p of prompts) {
          const reply = await chatOnce(engine, p.prompt, {
            tools: false,
            temperature: 0,
            maxTokens: options.maxTokens ?? 96,
            seed: context.seed,
          });
          const ok = matchesIdentity(reply.text, identity);
          byLang.set(p.lang, [...(byLang.get(p.lang) ?? []), ok]);
          transcripts.push({ model: stage, prompt: p.prompt, output: reply.completion, correct: ok });
        }
        metrics[`${stage}.identityRate`] = rate([...byLang.values()].flat());
        langs.forEach((lang, i) => {
          const value = rate(byLang.get(lang) ?? []);
          metrics[`${stage}.identityRate.${lang}`] = value;
          chart.series[i]!.data.push({ x: stage, y: value });
        });
      }
      return {
        name,
        title: this.title,
        metrics,
        examples: pickExamples(transcripts, options.maxExamples ?? 4),
        finding: identityFinding(metrics, identity.name),
        details: { chart, identity: identity.name },
      };
    },
  };
}

/** The finding sentence, from the metrics and the configured name. */
export function identityFinding(metrics: Record<string, number>, identityName: string): string {
  const stages = (["base", "sft", "rl"] as const).filter((s) => metrics[`${s}.identityRate`] !== undefined);
  const stage = primaryStage(stages);
  if (stage === undefined) return "No model stage was measured.";
  const value = metrics[`${stage}.identityRate`]!;
  const perLang = Object.keys(metrics)
    .filter((k) => k.startsWith(`${stage}.identityRate.`))
    .map((k) => {
      const lang = k.slice(`${stage}.identityRate.`.length);
      return `${LANG_NAMES[lang] ?? lang} ${formatPercent(metrics[k]!)}`;
    });
  const langs = perLang.length > 1 ? ` (${perLang.join(", ")})` : "";
  let sentence = `${capitalize(stageLabel(stage))} answers ${formatPercent(value)} of held-out "who are you?" paraphrases as ${identityName}${langs}`;
  if (stage !== "base" && metrics["base.identityRate"] !== undefined) {
    const base = metrics["base.identityRate"];
    sentence += ` vs ${formatPercent(base)} for the base model (${formatPoints(value - base)})`;
  }
  return `${sentence}.`;
}
