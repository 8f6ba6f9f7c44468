/**
 * Tasks with checkable answers and the reward functions that score completions on them.
 * Used by SFT data generators, RL and probes. Reference: nanochat's tasks, TRL's reward
 * functions. Leaves out: learned reward models.
 */

export interface Task {
  /** Stable id within its task family. */
  id: string;
  /** "arithmetic", "letter-count", "decimal-compare", "identity", "knowledge", ... */
  kind: string;
  /** The user's question. */
  prompt: string;
  /** The reference answer, compared after normalisation by the reward function. */
  answer: string;
  metadata?: Record<string, unknown>;
}

export interface RewardResult {
  /** Usually in [0, 1]. */
  reward: number;
  /** What was extracted from the completion, if anything. */
  extracted?: string;
  /** Short explanation, for logs and reports. */
  detail?: string;
}

/** Scores one completion (the assistant's whole turn as text, tool calls included) on one task. */
export type RewardFunction = (completion: string, task: Task) => RewardResult;
