/**
 * Arithmetic problems (two-digit addition and subtraction, two-digit by one-digit multiplication)
 * as Tasks and as SFT conversations in two forms: "steps-first" (place-value steps, then the
 * answer) and "answer-first" (the answer, then the same steps). The answer sits on a
 * "#### <n>" line (see extract-answer.ts). Held-out eval problems never appear in training.
 * The steps are short and templated so that a tiny model can learn them in minutes.
 * Reference: GSM8K's format, nanochat's SpellingBee/arithmetic tasks, "answer first vs reasoning
 * first" from Karpathy's "Deep Dive into LLMs".
 * Leaves out: word problems, carries shown digit by digit, division.
 */
import type { Conversation, Task } from "@llm/core";
import { Rng } from "@llm/core";
import { type ReasoningForm, workedAnswer, workedConversations } from "./worked-answer.js";

export type ArithmeticOp = "+" | "-" | "*";
export type ArithmeticForm = ReasoningForm;

export interface ArithmeticConfig {
  /** Seed of the generator. Default 0. */
  seed?: number;
  /** Training problems. Default 1000. */
  count?: number;
  /** Held-out problems. Default 100. */
  evalCount?: number;
  /** Largest operand of + and - (and the first operand of *). Default 99. */
  maxOperand?: number;
  /** Operations to draw from. Default ["+", "-", "*"]. */
  ops?: ArithmeticOp[];
  /** Question templates with {q} for the problem. Default: "What is {q}?", "Compute {q}.", "{q} = ?". */
  prompts?: string[];
}

const promptTemplates = ["What is {q}?", "Compute {q}.", "{q} = ?"];

function draw(
  rng: Rng,
  ops: readonly ArithmeticOp[],
  maxOperand: number,
): { a: number; b: number; op: ArithmeticOp } {
  const op = rng.pick(ops);
  if (op === "*") return { a: rng.range(2, maxOperand), b: rng.range(2, 9), op };
  const a = rng.range(0, maxOperand);
  const b = rng.range(0, maxOperand);
  return op === "-" ? { a: Math.max(a, b), b: Math.min(a, b), op } : { a, b, op };
}

function evaluate(a: number, b: number, op: ArithmeticOp): number {
  return op === "+" ? a + b : op === "-" ? a - b : a * b;
}

/** Place-value steps, e.g. "23 + 48: 20 + 40 = 60. 3 + 8 = 11. 60 + 11 = 71." */
export function arithmeticSteps(a: number, b: number, op: ArithmeticOp): string {
  const result = evaluate(a, b, op);
  const head = `${a} ${op} ${b}:`;
  if (op === "*") {
    const tens = a - (a % 10);
    const ones = a % 10;
    if (tens === 0 || ones === 0) return `${head} ${a} * ${b} = ${result}.`;
    return `${head} ${tens} * ${b} = ${tens * b}. ${ones} * ${b} = ${ones * b}. ${tens * b} + ${ones * b} = ${result}.`;
  }
  if (a < 10 && b < 10) return `${head} ${a} ${op} ${b} = ${result}.`;
  const [aTens, aOnes, bTens, bOnes] = [a - (a % 10), a % 10, b - (b % 10), b % 10];
  const tens = evaluate(aTens, bTens, op);
  const ones = evaluate(aOnes, bOnes, op);
  const combine = ones < 0 ? `${tens} - ${-ones} = ${result}` : `${tens} + ${ones} = ${result}`;
  return `${head} ${aTens} ${op} ${bTens} = ${tens}. ${aOnes} ${op} ${bOnes} = ${ones}. ${combine}.`;
}

/** Held-out eval tasks and disjoint training tasks, deterministic by seed. */
export function arithmeticTasks(config: ArithmeticConfig = {}): { train: Task[]; eval: Task[] } {
  const rng = new Rng(`arithmetic:${config.seed ?? 0}`);
  const ops = config.ops ?? ["+", "-", "*"];
  const maxOperand = config.maxOperand ?? 99;
  const templates = config.prompts ?? promptTemplates;
  const seen = new Set<string>();
  const make = (count: number, split: string): Task[] => {
    const tasks: Task[] = [];
    for (let attempts = 0; tasks.length < count && attempts < count * 50; attempts++) {
      const { a, b, op } = draw(rng, ops, maxOperand);
      const key = `${a}${op}${b}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const q = `${a} ${op} ${b}`;
      tasks.push({
        id: `arithmetic-${split}-${tasks.length}`,
        kind: "arithmetic",
        prompt: rng.pick(templates).replace("{q}", q),
        answer: String(evaluate(a, b, op)),
        metadata: { a, b, op, split, reward: "marker" },
      });
    }
    return tasks;
  };
  const evalTasks = make(config.evalCount ?? 100, "eval");
  return { train: make(config.count ?? 1000, "train"), eval: evalTasks };
}

/** The place-value steps of a task drawn by arithmeticTasks. */
function taskSteps(task: Task): string {
  const { a, b, op } = task.metadata as { a: number; b: number; op: ArithmeticOp };
  return arithmeticSteps(a, b, op);
}

/** The assistant's answer to an arithmetic task in the given form. */
export function arithmeticAnswer(task: Task, form: ArithmeticForm): string {
  return workedAnswer(taskSteps(task), task.answer, form);
}

/** SFT conversations for arithmetic tasks. */
export function arithmeticConversations(
  tasks: readonly Task[],
  form: ArithmeticForm = "steps-first",
): Conversation[] {
  return workedConversations(tasks, form, "arithmetic", taskSteps);
}
