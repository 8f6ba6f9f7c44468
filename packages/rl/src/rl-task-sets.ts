/**
 * rlTaskSets: the training and held-out task sets RL uses, drawn from @llm/sft's generators (the
 * same task families SFT taught, with SFT's own held-out splits: held-out words, pairs and
 * problems never appear in training), mixed and shuffled by seed.
 * Reference: nanochat's chat_rl task mixture. Leaves out: identity and knowledge tasks (their
 * rewards are containment checks, not verifiable answers).
 */

import { LlmError, Rng, type Task } from "@llm/core";
import {
  type ArithmeticConfig,
  arithmeticTasks,
  decimalCompareTasks,
  type LetterTaskConfig,
  letterCountTasks,
  type WordCountConfig,
  wordCountTasks,
} from "@llm/sft";

/** Task families with verifiable answers. */
export type RlTaskKind = "arithmetic" | "letter-count" | "decimal-compare" | "word-count";

export const RL_TASK_KINDS: readonly RlTaskKind[] = [
  "arithmetic",
  "letter-count",
  "decimal-compare",
  "word-count",
];

export interface RlTaskSetOptions {
  /** Training tasks per kind. Default 500. */
  count?: number;
  /** Held-out tasks per kind. Default 50. */
  evalCount?: number;
  /** Seed of the generators and of the shuffle. Default 0. */
  seed?: number;
  /**
   * Operations and operand range of the arithmetic problems (use the ones SFT was taught with).
   * Default: @llm/sft's arithmeticTasks defaults (+, -, * up to 99).
   */
  arithmetic?: Pick<ArithmeticConfig, "ops" | "maxOperand">;
  /** Word list of the letter-counting tasks (use the one SFT was taught with). Default: @llm/sft's WORDS. */
  letterCount?: Pick<LetterTaskConfig, "words" | "paraphraseShare" | "balancedCounts">;
  /**
   * Word list and list lengths of the word-counting tasks (use SFT's), and, with
   * `paraphraseShare`, the share asked in other phrasings about sentence-like texts (@llm/sft
   * wordCountTasks, with its `sentenceWords`, `morePhrasingShare`, `textFirstShare` and
   * `repeatShare`, `firstRepeatShare`, `firstPersonShare`). Default: @llm/sft's defaults (template lists only).
   */
  wordCount?: Pick<
    WordCountConfig,
    | "words"
    | "minWords"
    | "maxWords"
    | "sentenceWords"
    | "paraphraseShare"
    | "morePhrasingShare"
    | "textFirstShare"
    | "repeatShare"
    | "firstRepeatShare"
    | "firstPersonShare"
  >;
}

export interface RlTaskSets {
  train: Task[];
  heldOut: Task[];
}

/** Training and held-out tasks of the given kinds. */
export function rlTaskSets(kinds: readonly RlTaskKind[], options: RlTaskSetOptions = {}): RlTaskSets {
  const config = { count: options.count ?? 500, evalCount: options.evalCount ?? 50, seed: options.seed ?? 0 };
  const train: Task[] = [];
  const heldOut: Task[] = [];
  for (const kind of kinds) {
    let sets: { train: Task[]; eval: Task[] };
    if (kind === "arithmetic") sets = arithmeticTasks({ ...options.arithmetic, ...config });
    else if (kind === "letter-count") sets = letterCountTasks({ ...options.letterCount, ...config });
    else if (kind === "decimal-compare") sets = decimalCompareTasks(config);
    else if (kind === "word-count") sets = wordCountTasks({ ...options.wordCount, ...config });
    else {
      throw new LlmError("INVALID_ARGUMENT", `Unknown RL task kind ${String(kind)}.`, {
        input: String(kind),
        hint: `use one of ${RL_TASK_KINDS.join(", ")}.`,
      });
    }
    train.push(...sets.train);
    heldOut.push(...sets.eval);
  }
  const rng = new Rng(`rl-tasks:${config.seed}`);
  return { train: rng.shuffle(train), heldOut };
}
