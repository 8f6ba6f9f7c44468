/**
 * The tiny GRPO setup the trainGrpo tests share: a digits-only CharTokenizer, 20 toy tasks whose
 * answer is always "7", a reward on the completion's first character, a fresh 1-layer 16-wide GPT,
 * a 2-step config small enough for the cpu backend, and a weight snapshot to compare runs.
 * Leaves out the backend (each test file sets its own), a KL term (beta is left at its default),
 * a rollout filter and any change to the model's initial weights: tests that need those add them
 * locally (e.g. `{ ...tinyGrpoConfig, beta: 0.1 }`).
 */
import type { RewardFunction, Task } from "@llm/core";
import { GPT } from "@llm/model";
import type { GrpoConfig } from "../grpo-config.js";
import { answerReward } from "../rewards/answer-reward.js";
import { CharTokenizer } from "./char-tokenizer.js";

/** 20 ids: the digits and "?" (ids 0-10), then the 9 chat special tokens. */
export const tinyGrpoTokenizer = new CharTokenizer("0123456789?");

/** 20 tasks `t0`..`t19` with prompts 100, 107, ..., 233 and the answer "7". */
export const tinyGrpoTasks: readonly Task[] = Array.from({ length: 20 }, (_, i) => ({
  id: `t${i}`,
  kind: "toy",
  prompt: String(100 + i * 7),
  answer: "7",
}));

/** answerReward that reads the completion's first character as its answer (none when empty). */
export const firstCharReward: RewardFunction = answerReward((text) =>
  text === "" ? undefined : text.slice(0, 1),
);

/** A fresh GPT over tinyGrpoTokenizer: 1 layer, 2 heads, 16 wide, 16 positions, seed 4. */
export function tinyGrpoModel(): GPT {
  return new GPT(
    { vocabSize: tinyGrpoTokenizer.vocabSize, seqLen: 16, nLayer: 1, nHead: 2, nEmbd: 16 },
    { seed: 4 },
  );
}

/**
 * Two steps of 3 prompts x 4 completions of at most 3 tokens, learning rate 1e-2, no evaluation,
 * no tools, equal-reward groups kept (so every step updates), seed 5.
 */
export const tinyGrpoConfig = {
  steps: 2,
  promptsPerStep: 3,
  groupSize: 4,
  maxNewTokens: 3,
  learningRate: 1e-2,
  evalEvery: 0,
  tools: false,
  skipEqualGroups: false,
  seed: 5,
} as const satisfies Partial<GrpoConfig>;

/** The model's weights as flat arrays, in parameter order, to compare two runs. */
export async function weightsOf(model: GPT): Promise<Float32Array[]> {
  return [...(await model.getWeights()).values()].map((w) => w.data);
}
