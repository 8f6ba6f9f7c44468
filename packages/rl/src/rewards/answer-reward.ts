/**
 * Correctness rewards: 1 when the answer the completion states (after the answer marker) matches
 * the task's reference answer for its kind (arithmetic, letter counting, decimal comparison, or
 * normalised text for other kinds), else 0. The extractor is pluggable; the default is @llm/sft's
 * extractAnswer, the marker its datasets teach.
 * Reference: DeepSeek-R1's rule-based accuracy reward, TRL's accuracy_reward.
 * Leaves out: partial credit and learned reward models.
 */

import type { RewardFunction, RewardResult, Task } from "@llm/core";
import { extractAnswer } from "@llm/sft";
import { compareAnswer } from "./compare-answer.js";

/** Pulls the stated final answer out of a completion, or undefined when there is none. */
export type AnswerExtractor = (completion: string) => string | undefined;

/**
 * The completion without its tool calls and tool outputs, so that only what the assistant states in
 * prose counts as its answer (never a marker inside code or inside the tool's output).
 */
export function stripToolBlocks(completion: string): string {
  return completion
    .replace(/<\|output_start\|>[\s\S]*?(<\|output_end\|>|$)/g, "")
    .replace(/<\|python_start\|>[\s\S]*?(<\|python_end\|>|$)/g, "");
}

/**
 * A reward function scoring correctness (1 or 0) for any task kind: the answer after the marker
 * compared per kind; tasks with metadata.reward "contains" (identity, knowledge) are scored by
 * whether the turn's own text contains the answer.
 */
export function answerReward(extract: AnswerExtractor = extractAnswer): RewardFunction {
  return (completion: string, task: Task): RewardResult => {
    if (task.metadata?.reward === "contains") {
      const found = stripToolBlocks(completion).toLowerCase().includes(task.answer.toLowerCase());
      return { reward: found ? 1 : 0, detail: found ? "contains the answer" : `missing "${task.answer}"` };
    }
    const extracted = extract(stripToolBlocks(completion));
    if (extracted === undefined) return { reward: 0, detail: "no answer marker" };
    const correct = compareAnswer(task.kind, extracted, task.answer);
    return {
      reward: correct ? 1 : 0,
      extracted,
      detail: correct ? "correct" : `wrong: expected ${task.answer}`,
    };
  };
}

/** Answer correctness with @llm/sft's "####" marker: the default reward of trainGrpo. */
export const defaultReward: RewardFunction = answerReward();
