/**
 * The answer marker of our task datasets and the reward functions that read it. Every task-style
 * answer (arithmetic, letter counting, spelling, decimal comparison) ends or starts with a line
 * `#### <answer>`, e.g. "#### 42" or "#### 9.9"; extractAnswer returns the text after the first
 * marker on its line. Identity and knowledge tasks are scored by containment instead
 * (Task.metadata.reward = "contains").
 * Reference: GSM8K's "#### answer" convention, nanochat's extract_answer.
 * Leaves out: LaTeX \boxed{} answers and fuzzy matching.
 */
import type { RewardFunction, Task } from "@llm/core";

/** The marker that introduces the final answer. */
export const ANSWER_MARKER = "####";

/** The text after the first "####" up to the end of its line (trimmed, trailing period dropped), or undefined. */
export function extractAnswer(text: string): string | undefined {
  const match = /####[ \t]*([^\n<]*)/.exec(text);
  if (!match) return undefined;
  const answer = (match[1] ?? "").trim().replace(/\.$/, "").trim();
  return answer === "" ? undefined : answer;
}

/** Normalises an answer for comparison: lower case, no thousands separators, numbers in canonical form. */
export function normalizeAnswer(answer: string): string {
  const trimmed = answer.trim().toLowerCase();
  const numeric = trimmed.replace(/,/g, "");
  if (/^-?\d+(\.\d+)?$/.test(numeric)) return String(Number(numeric));
  return trimmed;
}

/** Reward 1 when the marked answer equals the task's answer after normalisation, else 0. */
export const markerReward: RewardFunction = (completion, task) => {
  const extracted = extractAnswer(completion);
  if (extracted === undefined) return { reward: 0, detail: "no #### answer" };
  const correct = normalizeAnswer(extracted) === normalizeAnswer(task.answer);
  return { reward: correct ? 1 : 0, extracted, detail: correct ? "correct" : `expected ${task.answer}` };
};

/** Reward 1 when the completion contains the task's answer (case-insensitive), else 0. */
export const containsReward: RewardFunction = (completion, task) => {
  const correct = completion.toLowerCase().includes(task.answer.toLowerCase());
  return { reward: correct ? 1 : 0, detail: correct ? "contains the answer" : `missing "${task.answer}"` };
};

/** Scores a completion with the reward its task asks for (metadata.reward: "marker" (default) or "contains"). */
export const taskReward: RewardFunction = (completion: string, task: Task) =>
  task.metadata?.reward === "contains" ? containsReward(completion, task) : markerReward(completion, task);
