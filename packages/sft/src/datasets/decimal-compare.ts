/**
 * Decimal comparison, the "is 9.11 bigger than 9.9?" family: numbers whose digit strings mislead
 * (9.11 has more digits but is smaller). Two solutions: "tool" (`Math.max(9.11, 9.9)` between
 * the python tokens, the output injected, then "#### 9.9") and "direct" (pad to the same number
 * of decimals and compare, e.g. "9.11 vs 9.90: 11 < 90.", then "#### 9.9"). Eval pairs are
 * disjoint from training pairs.
 * Reference: the 9.11 vs 9.9 failure discussed in Karpathy's "Deep Dive into LLMs".
 * Leaves out: negative numbers and more than two decimals.
 */
import type { Conversation, Message, Task } from "@llm/core";
import { Rng } from "@llm/core";
import type { SolutionStyle } from "./letter-count.js";
import { varyTemplate } from "./question-variation.js";

export interface DecimalCompareConfig {
  /** Seed of the generator. Default 0. */
  seed?: number;
  /** Training tasks. Default 500. */
  count?: number;
  /** Held-out tasks. Default 50. */
  evalCount?: number;
  /** Largest integer part. Default 20. */
  maxInteger?: number;
  /** Share of "trap" pairs (same integer part, one and two decimals, the shorter one bigger). Default 0.6. */
  trapShare?: number;
  /** Question templates ({a}, {b}). Default: "Which is bigger: {a} or {b}?", "Which number is larger, {a} or {b}?". */
  prompts?: string[];
  /**
   * Share of training tasks asked in one of DECIMAL_COMPARE_PARAPHRASES (other word orders, yes/no
   * questions, "which is smaller") rewritten by varyTemplate. A "smaller" question is answered with
   * Math.min and the smaller number (metadata.want "min"). Held-out tasks keep the templates.
   * Default 0.
   */
  paraphraseShare?: number;
  /**
   * Share of training pairs drawn from close pairs whose digit strings share their start, the
   * pairs a copy into `Math.max(a, b)` slips on (closePair: 8.8 vs 8.08, 9.1 vs 9.14, 15.15 vs
   * 15.19, 7.3 vs 17.3). Held-out pairs are unchanged. Default 0.
   */
  closePairShare?: number;
  /**
   * Share of the paraphrased training tasks asked in MORE_DECIMAL_COMPARE_PARAPHRASES instead
   * (prices, weights, "cheaper", "lower", "less", "heavier"; Math.min for the smaller). Default 0.
   */
  morePhrasingShare?: number;
}

/** More ways to ask ({a}, {b}), with which number answers: the larger (max) or the smaller (min). */
export const DECIMAL_COMPARE_PARAPHRASES: ReadonlyArray<{ template: string; want: "max" | "min" }> = [
  { template: "Which one is greater, {a} or {b}?", want: "max" },
  { template: "{a} or {b}: which is bigger?", want: "max" },
  { template: "Is {a} bigger than {b}?", want: "max" },
  { template: "Is {a} greater than {b}?", want: "max" },
  { template: "What's larger: {a} or {b}?", want: "max" },
  { template: "Tell me the bigger number out of {a} and {b}.", want: "max" },
  { template: "Which is the higher number, {a} or {b}?", want: "max" },
  { template: "Compare {a} and {b}. Which is more?", want: "max" },
  { template: "Between {a} and {b}, which is the larger one?", want: "max" },
  { template: "Pick the larger of {a} and {b}.", want: "max" },
  { template: "Is {a} more than {b}?", want: "max" },
  { template: "which is bigger {a} or {b}", want: "max" },
  { template: "Which is smaller: {a} or {b}?", want: "min" },
  { template: "Which number is less, {a} or {b}?", want: "min" },
  { template: "Is {a} smaller than {b}?", want: "min" },
  { template: "Which of {a} and {b} is lower?", want: "min" },
  { template: "Give me the smaller one: {a} or {b}.", want: "min" },
  { template: "What is the lesser of {a} and {b}?", want: "min" },
  { template: "{a} vs {b}, which is smaller?", want: "min" },
  { template: "Is {a} less than {b}?", want: "min" },
  { template: "Which is the lower number, {a} or {b}?", want: "min" },
  { template: "which is less {a} or {b}", want: "min" },
];

/**
 * Phrasings with units and everyday words for "bigger" and "smaller" ({a}, {b}): prices, weights,
 * lengths, scores. "Cheaper", "lower", "less", "lighter", "shorter" want the smaller number; as
 * many want the larger, so that the bank does not tilt yes/no questions towards Math.min.
 */
export const MORE_DECIMAL_COMPARE_PARAPHRASES: ReadonlyArray<{ template: string; want: "max" | "min" }> = [
  { template: "One shop asks {a} and the other {b}. Which price is cheaper?", want: "min" },
  { template: "Which costs less, {a} euros or {b} euros?", want: "min" },
  { template: "Is a price of {a} cheaper than {b}?", want: "min" },
  { template: "Which is the cheaper option: {a} or {b} dollars?", want: "min" },
  { template: "I can pay {a} or {b}. Which is the lower price?", want: "min" },
  { template: "Which weighs less, {a} kg or {b} kg?", want: "min" },
  { template: "Which rope is shorter: {a} m or {b} m?", want: "min" },
  { template: "Find the lowest of these two: {a}, {b}.", want: "min" },
  { template: "Out of {a} and {b}, which value is less?", want: "min" },
  { template: "My time was {a} s and yours {b} s. Which time is lower?", want: "min" },
  { template: "Which is the minimum, {a} or {b}?", want: "min" },
  { template: "Is {a} a lower number than {b}?", want: "min" },
  { template: "Which costs more, {a} or {b} pounds?", want: "max" },
  { template: "Which is heavier: {a} kg or {b} kg?", want: "max" },
  { template: "Which price is higher, {a} or {b}?", want: "max" },
  { template: "I scored {a} and my friend {b}. Who has the higher score?", want: "max" },
  { template: "Which is the maximum of {a} and {b}?", want: "max" },
  { template: "Which rope is longer: {a} m or {b} m?", want: "max" },
  { template: "Is {a} a larger value than {b}?", want: "max" },
  { template: "Out of {a} and {b}, which value is greater?", want: "max" },
  { template: "Which weighs more, {a} kg or {b} kg?", want: "max" },
  { template: "Is a price of {a} more expensive than {b}?", want: "max" },
  { template: "My bag is {a} kg and yours {b} kg. Which bag is heavier?", want: "max" },
  { template: "Which is the top score, {a} or {b}?", want: "max" },
];

/**
 * A pair whose digit strings share their start, the pairs a copy slips on: a zero after the point
 * (8.8 vs 8.08), one a prefix of the other (9.1 vs 9.14), two decimals each with the same first
 * one (15.15 vs 15.19), or the same decimals after integer parts that share a digit (7.3 vs 17.3).
 */
export function closePair(rng: Rng, maxInteger: number): [string, string] {
  const whole = rng.range(1, maxInteger);
  const d = rng.range(1, 9);
  switch (rng.int(4)) {
    case 0:
      return [`${whole}.${d}`, `${whole}.0${d}`];
    case 1:
      return [`${whole}.${d}`, `${whole}.${d}${rng.range(1, 9)}`];
    case 2: {
      const e = rng.range(0, 9);
      const f = (e + 1 + rng.int(9)) % 10;
      return [`${whole}.${d}${e}`, `${whole}.${d}${f}`];
    }
    default: {
      const small = rng.range(1, 9);
      return [`${small}.${d}`, `1${small}.${d}`];
    }
  }
}

const prompts = ["Which is bigger: {a} or {b}?", "Which number is larger, {a} or {b}?"];

function drawPair(rng: Rng, maxInteger: number, trapShare: number): [string, string] {
  const whole = rng.range(0, maxInteger);
  if (rng.next() < trapShare) {
    // e.g. 9.9 vs 9.11: the one-decimal number is bigger, the two-decimal one "looks" bigger.
    const short = rng.range(2, 9);
    const long = rng.range(10, short * 10 - 1);
    return [`${whole}.${short}`, `${whole}.${long}`];
  }
  const otherWhole = rng.next() < 0.5 ? whole : rng.range(0, maxInteger);
  return [`${whole}.${rng.range(1, 9)}`, `${otherWhole}.${rng.range(10, 99)}`];
}

/** Comparison tasks with held-out pairs; the answer is the bigger number as written. */
export function decimalCompareTasks(config: DecimalCompareConfig = {}): { train: Task[]; eval: Task[] } {
  const rng = new Rng(`decimal-compare:${config.seed ?? 0}`);
  const maxInteger = config.maxInteger ?? 20;
  const trapShare = config.trapShare ?? 0.6;
  const seen = new Set<string>();
  const share = config.paraphraseShare ?? 0;
  const phrasing = new Rng(`decimal-compare-phrasing:${config.seed ?? 0}`);
  const closeShare = config.closePairShare ?? 0;
  const moreShare = config.morePhrasingShare ?? 0;
  const close = new Rng(`decimal-compare-close:${config.seed ?? 0}`);
  const more = new Rng(`decimal-compare-more:${config.seed ?? 0}`);
  const make = (count: number, split: string): Task[] => {
    const tasks: Task[] = [];
    for (let attempts = 0; tasks.length < count && attempts < count * 50; attempts++) {
      // a generator of its own, so that the share does not change the held-out pairs
      const pair =
        split === "train" && closeShare > 0 && close.next() < closeShare
          ? closePair(close, maxInteger)
          : drawPair(rng, maxInteger, trapShare);
      if (Number(pair[0]) === Number(pair[1])) continue;
      const key = [...pair].sort().join("|");
      if (seen.has(key)) continue;
      seen.add(key);
      const [a, b] = rng.next() < 0.5 ? pair : [pair[1], pair[0]];
      let template = rng.pick(config.prompts ?? prompts);
      let want: "max" | "min" = "max";
      // a separate generator, so that the pairs are the same whatever the phrasing
      if (split === "train" && share > 0 && phrasing.next() < share) {
        const p =
          moreShare > 0 && more.next() < moreShare
            ? more.pick(MORE_DECIMAL_COMPARE_PARAPHRASES)
            : phrasing.pick(DECIMAL_COMPARE_PARAPHRASES);
        template = varyTemplate(p.template, phrasing);
        want = p.want;
      }
      const larger = Number(a) > Number(b) ? a : b;
      tasks.push({
        id: `decimal-compare-${split}-${tasks.length}`,
        kind: "decimal-compare",
        prompt: template.replace("{a}", a).replace("{b}", b),
        answer: want === "max" ? larger : larger === a ? b : a,
        metadata: { a, b, split, reward: "marker", ...(want === "min" ? { want } : {}) },
      });
    }
    return tasks;
  };
  const evalTasks = make(config.evalCount ?? 50, "eval");
  return { train: make(config.count ?? 500, "train"), eval: evalTasks };
}

/** The direct comparison, e.g. "9.11 vs 9.90: 11 < 90." or "10.2 vs 9.85: 10 > 9." */
export function compareSteps(a: string, b: string): string {
  const [aWhole = "0", aFrac = ""] = a.split(".");
  const [bWhole = "0", bFrac = ""] = b.split(".");
  if (aWhole !== bWhole) {
    return `${a} vs ${b}: ${aWhole} ${Number(aWhole) > Number(bWhole) ? ">" : "<"} ${bWhole}.`;
  }
  const width = Math.max(aFrac.length, bFrac.length);
  const [ap, bp] = [aFrac.padEnd(width, "0"), bFrac.padEnd(width, "0")];
  return `${aWhole}.${ap} vs ${bWhole}.${bp}: ${ap} ${Number(ap) > Number(bp) ? ">" : "<"} ${bp}.`;
}

/** The assistant (and tool) messages solving a comparison in the given style. */
export function decimalCompareMessages(task: Task, style: SolutionStyle): Message[] {
  const { a, b, want } = task.metadata as { a: string; b: string; want?: "max" | "min" };
  const fn = want === "min" ? "min" : "max";
  if (style === "direct")
    return [{ role: "assistant", content: `${compareSteps(a, b)}\n#### ${task.answer}` }];
  return [
    { role: "assistant", content: "", toolCalls: [{ code: `Math.${fn}(${a}, ${b})` }] },
    { role: "tool", content: String(Math[fn](Number(a), Number(b))) },
    { role: "assistant", content: `#### ${task.answer}` },
  ];
}

/** SFT conversations for decimal comparison tasks. */
export function decimalCompareConversations(
  tasks: readonly Task[],
  style: SolutionStyle = "tool",
): Conversation[] {
  return tasks.map((task) => ({
    messages: [{ role: "user", content: task.prompt }, ...decimalCompareMessages(task, style)],
    source: `decimal-compare-${style}`,
    metadata: { taskId: task.id, answer: task.answer },
  }));
}
