/**
 * base-model-as-repeater probe: a base model is a "repeater" of its training text, a document
 * completer rather than an assistant. Feeds the base model the first tokens of passages from its
 * training text and of held-out text, continues greedily, and counts how often it reproduces the
 * true continuation token for token; then asks the base and SFT models the same questions.
 * Inputs: `inputs["base-model-as-repeater"]`: { trainingText: string[], heldOutText: string[],
 * questions?: string[] } (no default passages: they must come from the run's data); needs
 * context.tokenizer and context.generators.base. Scoring: a continuation is verbatim when its first
 * `continuationTokens` tokens equal the source's; matched tokens count up to the first difference.
 * Reference: "base models regurgitate" in "Deep Dive into LLMs like ChatGPT"; Carlini et al. 2021
 * on extracting training data. Leaves out: fuzzy (near-verbatim) matches.
 */
import type { Probe, ProbeContext, ProbeResult, TokenGenerator, Tokenizer, Transcript } from "@llm/core";
import { LlmError } from "@llm/core";
import { chatOnce } from "../chat-once.js";
import { formatPercent, formatPoints, gapSize, mean } from "../format.js";
import { asStrings, inputOf, notRunnable, rate, stageEngines } from "../probe-helpers.js";
import type { ChartSpec } from "../report/report-section.js";

export interface RepeaterInput {
  trainingText: string[];
  heldOutText: string[];
  questions?: string[];
}

export interface BaseModelAsRepeaterOptions {
  /** Tokens of each passage given as the prompt. Default 32. */
  prefixTokens?: number;
  /** Tokens compared after the prefix. Default 16. */
  continuationTokens?: number;
  /** Passages used from each list at most. Default 32. */
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
  if (typeof v !== "object" || v === null) {
    throw new LlmError("INVALID_INPUT", "Probe input base-model-as-repeater must be an object.", {
      input: "base-model-as-repeater",
      hint: "Pass { trainingText: string[], heldOutText: string[] }.",
    });
  }
  return {
    trainingText: asStrings(v.trainingText, "base-model-as-repeater.trainingText"),
    heldOutText: asStrings(v.heldOutText, "base-model-as-repeater.heldOutText"),
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
      const chart: ChartSpec = {
        type: "bar",
        percent: true,
        yLabel: "verbatim continuations",
        series: [{ name: "verbatim", data: [] }],
      };
      for (const [key, label, texts] of [
        ["train", "training text", input.trainingText],
        ["heldOut", "held-out text", input.heldOutText],
      ] as const) {
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
        chart.series[0]!.data.push({ x: label, y: rate(results.map((r) => r.verbatim)) });
        examples.push(...results.slice(0, options.maxExamples ?? 2).map((r) => r.transcript));
      }
      if (metrics["train.passages"] === 0) {
        notRunnable(
          name,
          `no training passage is longer than ${prefix + length} tokens.`,
          "Pass longer passages or lower prefixTokens/continuationTokens.",
        );
      }
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
        details: { chart },
      };
    },
  };
}

/** The finding sentence, from the metrics alone. */
export function repeaterFinding(metrics: Record<string, number>): string {
  const train = metrics["train.verbatimRate"] ?? Number.NaN;
  const held = metrics["heldOut.verbatimRate"] ?? Number.NaN;
  const prefix = metrics.prefixTokens ?? 0;
  const length = metrics.continuationTokens ?? 0;
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
