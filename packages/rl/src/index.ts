/**
 * @llm/rl: GRPO-family reinforcement learning on tasks with checkable answers: reward functions,
 * group advantages, the clipped objective with KL (GRPO, Dr. GRPO, DAPO), batched tool-using
 * rollouts with sampling log-probs, pass@k evaluation and the trainGrpo loop. See README.md.
 */

export type { PassAtKOptions, PassAtKResult } from "./evaluate-pass-at-k.js";
export { evaluatePassAtK } from "./evaluate-pass-at-k.js";
export type { FilteredPosition } from "./filtered-log-probs.js";
export { filteredLogProbs } from "./filtered-log-probs.js";
export type {
  FinishReason,
  KvCache,
  LogitsFilterContext,
  PolicyModel,
  Rollout,
  RolloutLogitsFilter,
  RolloutOptions,
  RolloutPrompt,
  ToolRunner,
} from "./generate-rollouts.js";
export { generateRollouts } from "./generate-rollouts.js";
export type { GroupAdvantageOptions, GroupAdvantages } from "./group-advantages.js";
export { ADVANTAGE_STD_EPSILON, groupAdvantages } from "./group-advantages.js";
export type { GrpoConfig, LossAggregation } from "./grpo-config.js";
export { DEFAULT_GRPO_CONFIG, GRPO_PRESETS, resolveGrpoConfig } from "./grpo-config.js";
export type { GrpoLossInputs, GrpoLossOptions, GrpoLossStats } from "./grpo-loss.js";
export { clippedSurrogate, grpoLoss, grpoLossStats, klK3, lossDenominator } from "./grpo-loss.js";
export type { UpdateResult } from "./grpo-update.js";
export { grpoUpdate } from "./grpo-update.js";
export { meanPassAtK, passAtK } from "./pass-at-k.js";
export type { PolicyBatch, RolloutSelection } from "./policy-batch.js";
export { buildPolicyBatch, selectRollouts } from "./policy-batch.js";
export type { AnswerExtractor } from "./rewards/answer-reward.js";
export { answerReward, defaultReward, stripToolBlocks } from "./rewards/answer-reward.js";
export type { WeightedReward } from "./rewards/combine-rewards.js";
export { combineRewards } from "./rewards/combine-rewards.js";
export { compareAnswer, normalizeAnswer, parseNumber } from "./rewards/compare-answer.js";
export { formatReward, toolCallProblem } from "./rewards/format-reward.js";
export { NUMBER_WORDS } from "./rewards/number-words.js";
export type { RlTaskKind, RlTaskSetOptions, RlTaskSets } from "./rl-task-sets.js";
export { RL_TASK_KINDS, rlTaskSets } from "./rl-task-sets.js";
export type { SampledToken } from "./sample-with-log-prob.js";
export { greedyWithLogProb, sampleWithLogProb } from "./sample-with-log-prob.js";
export type { HeldOutSplit } from "./split-held-out.js";
export { splitHeldOut } from "./split-held-out.js";
export { tokenEntropies, tokenLogProbs } from "./token-log-probs.js";
export type {
  GrpoEvaluation,
  GrpoPolicy,
  GrpoResult,
  GrpoResumeState,
  GrpoStepMetrics,
  GrpoStepSummary,
  TrainGrpoOptions,
} from "./train-grpo.js";
export { defaultRender, trainGrpo } from "./train-grpo.js";
export { wordStepFilter } from "./word-step-filter.js";
