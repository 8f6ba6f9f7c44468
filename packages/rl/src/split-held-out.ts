/**
 * splitHeldOut: divides tasks into a training set and a held-out evaluation set whose prompts
 * never occur in training (compared after trimming and lower-casing), deterministically by seed.
 * Reference: the train/test splits of nanochat's task mixtures. Leaves out: near-duplicate
 * detection between prompts (only exact duplicates are kept apart).
 */

import { LlmError, Rng, type Task } from "@llm/core";

export interface HeldOutSplit {
  train: Task[];
  heldOut: Task[];
}

const key = (task: Task) => task.prompt.trim().toLowerCase();

/** `heldOutCount` tasks with distinct prompts go to heldOut; every task sharing a prompt with them is dropped from train. */
export function splitHeldOut(tasks: readonly Task[], heldOutCount: number, seed = 0): HeldOutSplit {
  if (!Number.isInteger(heldOutCount) || heldOutCount < 0) {
    throw new LlmError("INVALID_ARGUMENT", "heldOutCount must be a non-negative integer.", {
      input: String(heldOutCount),
      hint: "pass how many evaluation prompts to reserve.",
    });
  }
  const order = new Rng(seed).shuffle(tasks.map((_, i) => i));
  const heldOut: Task[] = [];
  const heldKeys = new Set<string>();
  for (const i of order) {
    if (heldOut.length >= heldOutCount) break;
    const task = tasks[i] as Task;
    if (heldKeys.has(key(task))) continue;
    heldKeys.add(key(task));
    heldOut.push(task);
  }
  if (heldOut.length < heldOutCount) {
    throw new LlmError(
      "INVALID_ARGUMENT",
      `Only ${heldOut.length} distinct prompts, ${heldOutCount} asked for held-out.`,
      {
        input: `${tasks.length} tasks`,
        hint: "generate more tasks or reserve fewer for evaluation.",
      },
    );
  }
  const train = tasks.filter((task) => !heldKeys.has(key(task)));
  return { train, heldOut };
}
