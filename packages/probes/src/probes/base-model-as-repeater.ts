/**
 * base-model-as-repeater probe: a base model is a "repeater" of its training text, a document
 * completer rather than an assistant, and how much it recites grows with how often it saw a
 * passage. Feeds the base model the first tokens of passages and continues greedily, counting how
 * often it reproduces the true continuation token for token: for passages seen a known number of
 * times in pretraining (`repeated`, one group per count: the memorization curve), for ordinary
 * training text (`trainingText`) and for held-out text of the same sources; then asks the base and
 * SFT models the same questions (a base model continues them as text).
 * Inputs: `inputs["base-model-as-repeater"]`: { heldOutText: string[], repeated?: { repeats,
 * texts }[], trainingText?: string[], questions?: string[] } (no default passages: they must come
 * from the run's data; repeated or trainingText is required); needs context.tokenizer and
 * context.generators.base. Scoring: a continuation is verbatim when its first
 * `continuationTokens` tokens equal the source's; matched tokens count up to the first difference.
 * Reference: "base models regurgitate" in "Deep Dive into LLMs like ChatGPT"; Carlini et al. 2022,
 * "Quantifying Memorization Across Neural Language Models" (extraction grows log-linearly with
 * the number of duplicates; 32-token prefixes there are 50 tokens). Leaves out: fuzzy
 * (near-verbatim) matches and sampled (non-greedy) extraction.
 */
import type { Probe, ProbeContext, ProbeResult, TokenGenerator, Tokenizer, Transcript } from "@llm/core";
import { LlmError } from "@llm/core";
import { chatOnce } from "../chat-once.js";
import { formatPercent, formatPoints, gapSize, mean } from "../format.js";
import { asStrings, inputOf, notRunnable, rate, stageEngines } from "../probe-helpers.js";
import type { ChartSpec } from "../report/report-section.js";

/** Passages that pretraining saw `repeats` times each. */
export interface RepeatedPassages {
  repeats: number;
  texts: string[];
}

export interface RepeaterInput {
  /** Passages of the same sources never trained on. */
  heldOutText: string[];
  /** Passages seen a known number of times (the memorization curve), e.g. 1, 2, 4, ..., 32. */
  repeated?: RepeatedPassages[];
  /** Passages of the ordinary training text. */
  trainingText?: string[];
  questions?: string[];
}

export interface BaseModelAsRepeaterOptions {
  /** Tokens of each passage given as the prompt. Default 32. */
  prefixTokens?: number;
  /** Tokens compared after the prefix. Default 16. */
  continuationTokens?: number;
  /** Passages used from each list (each group of `repeated`) at most. Default 32. */
  maxPassages?: number;
  /** Start prompts with <|bos|> when the tokenizer has it, as in pretraining. Default true. */
  prependBos?: boolean;
  /** Transcripts kept per part (passages, questions). Default 2. */
  maxExamples?: number;
}

/** Questions asked to both the base and the SFT model. */
export const DEFAULT_REPEATER_QUESTIONS = [
  "What is the capital of France?",
  "Can you explain what a noun is?",
];

function readInput(value: unknown): RepeaterInput | undefined {
  if (value === undefined) return undefined;
  const v = value as Partial<RepeaterInput>;
  const hint =
    "Pass { heldOutText: string[], repeated?: [{ repeats, texts }], trainingText?: string[] } with repeated or trainingText.";
  if (typeof v !== "object" || v === null || (v.repeated === undefined && v.trainingText === undefined)) {
    throw new LlmError(
      "INVALID_INPUT",
      "Probe input base-model-as-repeater must be an object with passages.",
      {
        input: "base-model-as-repeater",
        hint,
      },
    );
  }
  if (v.repeated !== undefined && !Array.isArray(v.repeated)) {
    throw new LlmError("INVALID_INPUT", "base-model-as-repeater.repeated must be an array.", {
      input: "base-model-as-repeater.repeated",
      hint,
    });
  }
  const repeated = v.repeated?.map((group, i) => {
    const repeats = (group as Partial<RepeatedPassages>)?.repeats;
    if (typeof repeats !== "number" || !Number.isInteger(repeats) || repeats < 1) {
      throw new LlmError(
        "INVALID_INPUT",
        `base-model-as-repeater.repeated[${i}].repeats must be an integer >= 1.`,
        {
          input: `base-model-as-repeater.repeated[${i}]`,
          hint,
        },
      );
    }
    return { repeats, texts: asStrings(group.texts, `base-model-as-repeater.repeated[${i}].texts`) };
  });
  return {
    heldOutText: asStrings(v.heldOutText, "base-model-as-repeater.heldOutText"),
    ...(repeated ? { repeated } : {}),
    ...(v.trainingText !== undefined
      ? { trainingText: asStrings(v.trainingText, "base-model-as-repeater.trainingText") }
      : {}),
    ...(v.questions ? { questions: asStrings(v.questions, "base-model-as-repeater.questions") } : {}),
  };
}

interface PassageResult {
  matched: number;
  verbatim: boolean;
  transcript: Transcript;
}

async function continuePassage(
  generator: TokenGenerator,
  tokenizer: Tokenizer,
  text: string,
  prefix: number,
  length: number,
  bos: number | undefined,
  label: string,
  seed: number | undefined,
): Promise<PassageResult | undefined> {
  const ids = tokenizer.encode(text);
  if (ids.length < prefix + length) return undefined;
  const prompt = ids.slice(0, prefix);
  const truth = ids.slice(prefix, prefix + length);
  const out: number[] = [];
  for await (const id of generator.generate(bos === undefined ? prompt : [bos, ...prompt], {
    maxTokens: length,
    temperature: 0,
    seed,
  })) {
    out.push(id);
    if (out.length >= length) break;
  }
  let matched = 0;
  while (matched < length && out[matched] === truth[matched]) matched++;
  const verbatim = matched === length;
  return {
    matched,
    verbatim,
    transcript: {
      model: `base (${label})`,
      prompt: tokenizer.decode(prompt),
      output: tokenizer.decode(out),
      correct: verbatim,
    },
  };
}

export function baseModelAsRepeaterProbe(options: BaseModelAsRepeaterOptions = {}): Probe {
  const name = "base-model-as-repeater";
  return {
    name,
    title: "The base model as a repeater of its training text",
    claim:
      "A base model continues text it was trained on, often verbatim; it is a document completer, not an assistant.",
    async run(context: ProbeContext): Promise<ProbeResult> {
      const input = readInput(inputOf(context, name));
      const generator = context.generators?.base;
      const tokenizer = context.tokenizer;
      if (!input)
        notRunnable(
          name,
          "no training and held-out passages were given.",
          'Pass inputs["base-model-as-repeater"] = { trainingText, heldOutText } from the run\'s data.',
        );
      if (!generator || !tokenizer)
        notRunnable(
          name,
          "the context lacks the base generator or the tokenizer.",
          "Give context.generators.base and context.tokenizer.",
        );
      const prefix = options.prefixTokens ?? 32;
      const length = options.continuationTokens ?? 16;
      const limit = options.maxPassages ?? 32;
      const bos =
        (options.prependBos ?? true) && tokenizer.specialTokens.has("<|bos|>")
          ? tokenizer.specialId("<|bos|>")
          : undefined;
      const metrics: Record<string, number> = { prefixTokens: prefix, continuationTokens: length };
      const examples: Transcript[] = [];
      const groups = [...(input.repeated ?? [])].sort((a, b) => a.repeats - b.repeats);
      // each part: [metric key, transcript label, passages]; the most repeated group shows first
      const parts: Array<[string, string, string[]]> = [
        ...[...groups]
          .reverse()
          .map((g): [string, string, string[]] => [`seen${g.repeats}`, `seen ${g.repeats}x`, g.texts]),
        ...(input.trainingText
          ? [["train", "training text", input.trainingText] as [string, string, string[]]]
          : []),
        ["heldOut", "held-out text", input.heldOutText],
      ];
      for (const [key, label, texts] of parts) {
        const results: PassageResult[] = [];
        for (const text of texts) {
          if (results.length >= limit) break;
          const r = await continuePassage(
            generator,
            tokenizer,
            text,
            prefix,
            length,
            bos,
            label,
            context.seed,
          );
          if (r) results.push(r);
        }
        metrics[`${key}.passages`] = results.length;
        metrics[`${key}.verbatimRate`] = rate(results.map((r) => r.verbatim));
        metrics[`${key}.meanMatchedTokens`] = mean(results.map((r) => r.matched));
        examples.push(...results.slice(0, options.maxExamples ?? 2).map((r) => r.transcript));
      }
      const measured = groups.reduce((sum, g) => sum + (metrics[`seen${g.repeats}.passages`] ?? 0), 0);
      if (measured + (metrics["train.passages"] ?? 0) === 0) {
        notRunnable(
          name,
          `no training passage is longer than ${prefix + length} tokens.`,
          "Pass longer passages or lower prefixTokens/continuationTokens.",
        );
      }
      if (groups.length > 0) metrics.maxRepeats = groups.at(-1)?.repeats ?? 0;
      const chart = repeaterChart(
        metrics,
        groups.map((g) => g.repeats),
      );
      const questions = input.questions ?? DEFAULT_REPEATER_QUESTIONS;
      for (const [stage, engine] of stageEngines(context, ["base", "sft"])) {
        const lengths: number[] = [];
        for (const question of questions.slice(0, options.maxExamples ?? 2)) {
          const reply = await chatOnce(engine, question, {
            tools: false,
            temperature: 0,
            maxTokens: 64,
            seed: context.seed,
          });
          lengths.push(reply.tokens);
          examples.push({ model: stage, prompt: question, output: reply.completion });
        }
        metrics[`${stage}.questionMeanTokens`] = mean(lengths);
      }
      return {
        name,
        title: this.title,
        metrics,
        examples,
        finding: repeaterFinding(metrics),
        details: { chart, ...(groups.length > 0 ? { repeats: groups.map((g) => g.repeats) } : {}) },
      };
    },
  };
}

/**
 * The chart: with repeated passages, a curve of verbatim rate (and matched share) against times
 * seen, held-out text at 0; without, one bar per kind of text.
 */
function repeaterChart(metrics: Record<string, number>, repeats: readonly number[]): ChartSpec {
  const length = metrics.continuationTokens ?? 1;
  const point = (x: string, key: string) => ({
    verbatim: { x, y: metrics[`${key}.verbatimRate`] ?? Number.NaN },
    matched: { x, y: (metrics[`${key}.meanMatchedTokens`] ?? Number.NaN) / length },
  });
  if (repeats.length === 0) {
    return {
      type: "bar",
      percent: true,
      yLabel: "verbatim continuations",
      series: [
        {
          name: "verbatim",
          data: [point("training text", "train").verbatim, point("held-out text", "heldOut").verbatim],
        },
      ],
    };
  }
  const points = [point("0 (held out)", "heldOut"), ...repeats.map((k) => point(String(k), `seen${k}`))];
  return {
    type: "line",
    percent: true,
    xLabel: "times seen in pretraining",
    yLabel: "share of passages",
    series: [
      { name: `verbatim for ${length} tokens`, data: points.map((p) => p.verbatim) },
      { name: `tokens matched (of ${length})`, data: points.map((p) => p.matched) },
    ],
  };
}

/** The finding sentence, from the metrics alone. */
export function repeaterFinding(metrics: Record<string, number>): string {
  const prefix = metrics.prefixTokens ?? 0;
  const length = metrics.continuationTokens ?? 0;
  const held = metrics["heldOut.verbatimRate"] ?? Number.NaN;
  const repeats = Object.keys(metrics)
    .map((k) => /^seen(\d+)\.verbatimRate$/.exec(k)?.[1])
    .filter((k): k is string => k !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  if (repeats.length > 0) return curveFinding(metrics, repeats, prefix, length, held);
  const train = metrics["train.verbatimRate"] ?? Number.NaN;
  const trainTokens = (metrics["train.meanMatchedTokens"] ?? Number.NaN).toFixed(1);
  const heldTokens = (metrics["heldOut.meanMatchedTokens"] ?? Number.NaN).toFixed(1);
  const delta = train - held;
  const given = `Given ${prefix}-token prefixes, the base model`;
  const tail = `; on average ${trainTokens} vs ${heldTokens} of ${length} tokens match`;
  if (Number.isNaN(held)) {
    return `${given} continues ${formatPercent(train)} of training passages verbatim for ${length} tokens; on average ${trainTokens} of ${length} tokens match.`;
  }
  if (gapSize(delta) === "same") {
    return `${given} continues training passages verbatim about as often as held-out ones (${formatPercent(train)} vs ${formatPercent(held)})${tail}.`;
  }
  if (delta > 0) {
    return `${given} continues ${formatPercent(train)} of training passages verbatim for ${length} tokens vs ${formatPercent(held)} of held-out passages (${formatPoints(delta)})${tail}.`;
  }
  return `${given} continues held-out passages verbatim more often than training ones (${formatPercent(held)} vs ${formatPercent(train)}, ${formatPoints(delta)})${tail}.`;
}

/** "... 0% of held-out passages, 0% seen once, ..., 88% seen 32 times": the curve in words. */
function curveFinding(
  metrics: Record<string, number>,
  repeats: readonly number[],
  prefix: number,
  length: number,
  held: number,
): string {
  const rateOf = (k: number) => metrics[`seen${k}.verbatimRate`] ?? Number.NaN;
  const times = (k: number) => (k === 1 ? "seen once" : k === 2 ? "seen twice" : `seen ${k} times`);
  const most = repeats.at(-1) as number;
  const top = rateOf(most);
  const baseline = Number.isNaN(held) ? rateOf(repeats[0] as number) : held;
  const curve = [
    ...(Number.isNaN(held) ? [] : [`${formatPercent(held)} of held-out passages`]),
    ...repeats.map((k) => `${formatPercent(rateOf(k))} ${times(k)}`),
  ].join(", ");
  const given = `Given ${prefix}-token prefixes, the base model continues`;
  const gap = top - baseline;
  if (gapSize(gap) === "same" || gap < 0) {
    return `${given} passages verbatim for ${length} tokens about as rarely whether it saw them ${most} times or never: ${curve}.`;
  }
  // the first count at which at least half of the passages come back
  const half = repeats.find((k) => rateOf(k) >= 0.5);
  return `${given} a passage verbatim for ${length} tokens more often the more often it saw it in pretraining: ${curve}${half !== undefined ? ` (half or more from ${half} times on)` : ""}.`;
}
