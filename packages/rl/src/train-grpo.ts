/**
 * trainGrpo: the GRPO-family training loop. Each step draws prompts, samples a group of
 * completions per prompt (tools on, KV cache), scores them, turns rewards into group advantages,
 * drops groups without signal (and truncated completions when asked), then runs `passes`
 * optimisation passes of the clipped objective over the batch (optionally in micro-batches whose
 * gradients accumulate to the whole batch's), with AdamW, gradient clipping and a warm-up. Emits a
 * StepEvent per step with reward, completion length, clip fraction, KL, entropy and more; evaluates
 * pass@1 / pass@k on held-out tasks at intervals; writes checkpoints through @llm/model.
 * Reference: TRL's GRPOTrainer, nanochat's chat_rl.py, DeepSeekMath, DAPO, Dr. GRPO.
 * A checkpoint's state.json carries the step, the task order and both RNG states, so a run resumed
 * from it (options.resume) continues exactly as the uninterrupted run would have.
 * With config.replayCoefficient > 0 each update also trains on a batch of the caller's SFT
 * conversations (InstructGPT's PPO-ptx: the SFT loss mixed into the RL update), drawn in a seeded
 * order by @llm/sft's ConversationBatchSource; its position is saved in checkpoints too.
 * Leaves out: asynchronous generation, reward models, distributed rollouts.
 */

import {
  type BatchPosition,
  type Conversation,
  type Listeners,
  LlmError,
  type RewardFunction,
  Rng,
  type RngState,
  type StepEvent,
  type Task,
  type Tokenizer,
} from "@llm/core";
import { AdamW, GPT, type LoadedCheckpoint, lrSchedule, saveCheckpoint, type TrainState } from "@llm/model";
import { ConversationBatchSource, renderPrompt } from "@llm/sft";
import * as tf from "@tensorflow/tfjs-core";
import { evaluatePassAtK, type PassAtKResult } from "./evaluate-pass-at-k.js";
import { generateRollouts, type RolloutLogitsFilter, type ToolRunner } from "./generate-rollouts.js";
import { groupAdvantages } from "./group-advantages.js";
import { type GrpoConfig, resolveGrpoConfig } from "./grpo-config.js";
import { grpoUpdate } from "./grpo-update.js";
import { buildPolicyBatch, selectRollouts } from "./policy-batch.js";
import { defaultReward } from "./rewards/answer-reward.js";

/** The model being trained and the tokenizer it speaks. */
export interface GrpoPolicy {
  model: GPT;
  tokenizer: Tokenizer;
}

export interface TrainGrpoOptions {
  /** Scores a completion (the assistant's turn as text) on its task. Default: defaultReward (answer correctness). */
  reward?: RewardFunction;
  /**
   * Scores held-out samples for pass@k; a sample is solved when it scores >= 1. Default: `reward`.
   * Pass answer correctness alone here when the training reward adds shaping terms (e.g. format).
   */
  evalReward?: RewardFunction;
  /** Held-out tasks for pass@k evaluation; none disables evaluation. */
  heldOut?: readonly Task[];
  /** Runs tool calls (e.g. @llm/engine's ToolSandbox); needed for config.tools. */
  tools?: ToolRunner;
  /** Frozen reference model for the KL term; when beta > 0 and none is given, a frozen copy of the starting policy. */
  reference?: GPT;
  /** Renders a task into prompt ids. Default: one user message through @llm/sft's renderPrompt. */
  render?: (task: Task) => readonly number[];
  /** Checkpoint folder (written every config.checkpointEvery steps and at the end); none writes nothing. */
  checkpointDir?: string;
  /** An optimizer to continue with (e.g. restored from a checkpoint); the caller disposes it. Default: a new AdamW, disposed at the end. */
  optimizer?: AdamW;
  /** Stops after the step in progress (and writes the checkpoint). */
  signal?: AbortSignal;
  /**
   * Continue a run from its checkpoint (what @llm/model's loadCheckpoint returns; `policy.model`
   * must be that checkpoint's model): restores the step, task order, RNGs and AdamW moments. With
   * beta > 0 pass `reference` too (the frozen copy would otherwise be the resumed policy).
   */
  resume?: Pick<LoadedCheckpoint, "state" | "optimizerState">;
  /**
   * SFT conversations for the replay term (config.replayCoefficient > 0), e.g. the SFT stage's own
   * training mixture; their assistant tokens are trained on as @llm/sft does. Never eval prompts.
   */
  replayConversations?: readonly Conversation[];
  /**
   * Constrained decoding of the rollouts and of the held-out pass@k samples (e.g. wordStepFilter,
   * the chat's wordStepGuard): each token is sampled from the filtered logits, as the guarded chat
   * samples it, and its sampling log-prob is the filtered one. By default the loss recomputes
   * log-probs with the plain model (the ratio's old and new log-probs both unfiltered, as TRL with
   * vLLM's guided decoding), so the gradient of a sampled token also moves the mass of the tokens
   * the filter removed: down after a better-than-average completion, up after a worse one;
   * `logProbGap` then includes the removed mass (log of the kept share) at filtered tokens. With
   * config.filteredLoss the loss uses the filtered distribution instead. Default: none.
   */
  logitsFilter?: RolloutLogitsFilter;
}

/** What trainGrpo keeps in state.json under "rl" to resume exactly. */
export interface GrpoResumeState {
  taskRng: RngState;
  sampleRng: RngState;
  /** Task indices still to draw in the current pass over the tasks (drawn from the end). */
  order: number[];
  /** Where the SFT replay batches had got to (present when replay is on). */
  replay?: BatchPosition;
}

/** Per-step numbers, also sent as StepEvent.metrics. */
export interface GrpoStepMetrics {
  /** Mean reward over every completion of the step. */
  reward: number;
  /** Mean within-group reward std. */
  rewardStd: number;
  /** Mean completion length in ids (sampled plus forced). */
  completionLength: number;
  /** Mean number of sampled ids per completion. */
  sampledLength: number;
  /** Share of counted tokens where the clip removed the gradient, mean over passes. */
  clipFraction: number;
  /** Mean k3 KL to the reference over counted tokens (0 when beta is 0). */
  kl: number;
  /** Mean entropy of the policy's next-token distribution over counted tokens. */
  entropy: number;
  /** Share of groups whose rewards were all equal. */
  equalGroupFraction: number;
  /** Share of completions that ended without <|assistant_end|>. */
  truncatedFraction: number;
  /** Completions that entered the loss. */
  trainedCompletions: number;
  /** Mean tool calls per completion. */
  toolCalls: number;
  /** Mean |sampling log-prob - recomputed log-prob| over counted tokens: KV-cache vs full-pass agreement. */
  logProbGap: number;
  /** Masked SFT cross-entropy of the step's replay batch, before the coefficient (0 when replay is off). */
  replayLoss: number;
  /** Mean sampled ids per completion whose distribution options.logitsFilter changed (0 without one). */
  filteredTokens: number;
}

export interface GrpoStepSummary extends GrpoStepMetrics {
  step: number;
  loss: number;
  lr: number;
  gradNorm: number;
  seconds: number;
}

export interface GrpoEvaluation extends PassAtKResult {
  /** Optimizer steps done when it was measured (0 = before training). */
  step: number;
}

export interface GrpoResult {
  config: GrpoConfig;
  steps: GrpoStepSummary[];
  evaluations: GrpoEvaluation[];
  /** True when the signal stopped training early. */
  aborted: boolean;
}

const STAGE = "rl";

/** Renders a task as one user message for generation. */
export function defaultRender(tokenizer: Tokenizer): (task: Task) => number[] {
  return (task) => renderPrompt([{ role: "user", content: task.prompt }], tokenizer);
}

async function frozenCopy(model: GPT): Promise<GPT> {
  const weights = await model.getWeights();
  const plain = new Map<string, Float32Array>();
  for (const [name, w] of weights) plain.set(name, w.data);
  const copy = GPT.fromWeights(model.config, plain);
  for (const v of copy.parameters().values()) v.trainable = false;
  return copy;
}

/** Trains `policy.model` in place on `tasks` with GRPO (or Dr. GRPO / DAPO by config). */
export async function trainGrpo(
  policy: GrpoPolicy,
  tasks: readonly Task[],
  config: Partial<GrpoConfig> = {},
  listeners: Listeners = {},
  options: TrainGrpoOptions = {},
): Promise<GrpoResult> {
  const cfg = resolveGrpoConfig(config);
  if (tasks.length === 0) {
    throw new LlmError("INVALID_ARGUMENT", "trainGrpo needs at least one task.", {
      hint: "pass tasks from e.g. @llm/sft's arithmeticTasks().train.",
    });
  }
  if (cfg.tools && options.tools === undefined) {
    listeners.onLog?.({
      stage: STAGE,
      level: "warn",
      message: "config.tools is on but no tool runner was given: tool calls get no output.",
    });
  }
  const { model, tokenizer } = policy;
  const reward = options.reward ?? defaultReward;
  const render = options.render ?? defaultRender(tokenizer);
  const tools = cfg.tools ? options.tools : undefined;
  const optimizer = options.optimizer ?? new AdamW(model.parameters(), { weightDecay: cfg.weightDecay });
  if (options.optimizer === undefined && options.resume?.optimizerState !== undefined) {
    optimizer.setState(options.resume.optimizerState);
  }
  const ownsReference = cfg.beta > 0 && options.reference === undefined;
  if (ownsReference && options.resume !== undefined) {
    listeners.onLog?.({
      stage: STAGE,
      level: "warn",
      message:
        "resuming with beta > 0 and no reference: the KL anchor is the resumed policy, not the original one.",
    });
  }
  const reference = cfg.beta > 0 ? (options.reference ?? (await frozenCopy(model))) : undefined;
  const replaySource = replayBatches(cfg, options.replayConversations, tokenizer, model.config.seqLen);
  const rng = new Rng(cfg.seed);
  const taskRng = rng.fork("tasks");
  const sampleRng = rng.fork("sampling");
  let order: number[] = [];
  const resumed = options.resume?.state.rl as GrpoResumeState | undefined;
  const startStep = options.resume?.state.step ?? 0;
  if (options.resume !== undefined) {
    if (resumed === undefined || startStep > cfg.steps) {
      throw new LlmError("CHECKPOINT_ERROR", "The checkpoint cannot resume this RL run.", {
        input: `step ${startStep}, steps ${cfg.steps}`,
        hint: "resume from a checkpoint written by trainGrpo, with config.steps at least its step.",
      });
    }
    taskRng.setState(resumed.taskRng);
    sampleRng.setState(resumed.sampleRng);
    order = [...resumed.order];
    if (replaySource !== undefined && resumed.replay !== undefined) replaySource.restore(resumed.replay);
  }
  const nextTask = (): Task => {
    if (order.length === 0) order = taskRng.shuffle(tasks.map((_, i) => i));
    return tasks[order.pop() as number] as Task;
  };
  const steps: GrpoStepSummary[] = [];
  const evaluations: GrpoEvaluation[] = [];
  const heldOut = options.heldOut ?? [];
  const evaluate = async (step: number): Promise<GrpoEvaluation | undefined> => {
    if (heldOut.length === 0 || cfg.evalEvery === 0) return undefined;
    const result = await evaluatePassAtK(model, tokenizer, heldOut, render, options.evalReward ?? reward, {
      samples: cfg.evalSamples,
      k: cfg.evalK,
      temperature: cfg.evalTemperature,
      topK: cfg.topK,
      maxNewTokens: cfg.maxNewTokens,
      ...(tools === undefined ? {} : { tools }),
      ...(options.logitsFilter === undefined ? {} : { logitsFilter: options.logitsFilter }),
      seed: cfg.seed + 7919,
    });
    const evaluation = { step, ...result };
    evaluations.push(evaluation);
    return evaluation;
  };
  const checkpoint = async (step: number) => {
    if (options.checkpointDir === undefined) return;
    await saveCheckpoint(options.checkpointDir, {
      model,
      optimizer,
      state: {
        step,
        totalSteps: cfg.steps,
        stage: STAGE,
        rl: {
          taskRng: taskRng.getState(),
          sampleRng: sampleRng.getState(),
          order: [...order],
          ...(replaySource === undefined ? {} : { replay: replaySource.position() }),
        } satisfies GrpoResumeState,
        grpo: cfg,
      } satisfies TrainState,
    });
  };

  let aborted = false;
  try {
    const initial = startStep === 0 ? await evaluate(0) : undefined;
    if (initial) {
      listeners.onLog?.({
        stage: STAGE,
        level: "info",
        message: `held-out before RL: pass@1 ${initial.passAt1.toFixed(3)}, pass@${cfg.evalK} ${initial.passAtK.toFixed(3)}, reward ${initial.meanReward.toFixed(3)}`,
      });
    }
    for (let step = startStep + 1; step <= cfg.steps; step++) {
      const started = performance.now();
      const stepTasks = Array.from({ length: cfg.promptsPerStep }, nextTask);
      const rollouts = await generateRollouts(
        model,
        tokenizer,
        stepTasks.map((task) => ({ task, ids: render(task) })),
        {
          groupSize: cfg.groupSize,
          maxNewTokens: cfg.maxNewTokens,
          temperature: cfg.temperature,
          topK: cfg.topK,
          greedyPerGroup: cfg.greedyPerGroup,
          maxToolCalls: cfg.maxToolCalls,
          rng: sampleRng,
          ...(tools === undefined ? {} : { tools }),
          ...(options.logitsFilter === undefined ? {} : { logitsFilter: options.logitsFilter }),
        },
      );
      const rewards = rollouts.map((r) => reward(r.text, r.task).reward);
      const groups = groupAdvantages(rewards, cfg.groupSize, { scaleRewards: cfg.scaleRewards });
      const selection = selectRollouts(rollouts, groups.equalGroups, cfg.groupSize, cfg);
      const batch = buildPolicyBatch(rollouts, groups.advantages, selection.include);
      const lr = lrSchedule(step - 1, {
        lr: cfg.learningRate,
        totalSteps: cfg.steps,
        warmupSteps: cfg.warmupSteps,
        schedule: "constant",
      });
      // The replay batch is drawn every step (also when no group carries signal), so replay keeps pulling.
      const replay =
        replaySource === undefined
          ? undefined
          : { batch: await replaySource.next(), coefficient: cfg.replayCoefficient };
      const update =
        replay !== undefined || (batch.batchSize > 0 && batch.tokensPerRow.some((n) => n > 0))
          ? grpoUpdate(model, reference, optimizer, batch, rollouts.length, cfg, lr, replay)
          : { loss: 0, gradNorm: 0, clipFraction: 0, kl: 0, entropy: 0, logProbGap: 0, replayLoss: 0 };
      const seconds = (performance.now() - started) / 1000;
      const metrics: GrpoStepMetrics = {
        reward: mean(rewards),
        rewardStd: mean(groups.groupStds),
        completionLength: mean(rollouts.map((r) => r.completionIds.length)),
        sampledLength: mean(rollouts.map((r) => r.generatedMask.reduce((a, b) => a + b, 0))),
        clipFraction: update.clipFraction,
        kl: update.kl,
        entropy: update.entropy,
        equalGroupFraction: mean(groups.equalGroups.map((e) => (e ? 1 : 0))),
        truncatedFraction: mean(rollouts.map((r) => (r.finishReason === "stop" ? 0 : 1))),
        trainedCompletions: batch.batchSize,
        toolCalls: mean(rollouts.map((r) => r.toolCalls)),
        logProbGap: update.logProbGap,
        replayLoss: update.replayLoss,
        filteredTokens: mean(rollouts.map((r) => r.filteredTokens)),
      };
      const summary: GrpoStepSummary = {
        step,
        loss: update.loss,
        lr,
        gradNorm: update.gradNorm,
        seconds,
        ...metrics,
      };
      steps.push(summary);
      let evaluation: GrpoEvaluation | undefined;
      const last = step === cfg.steps || options.signal?.aborted === true;
      if (cfg.evalEvery > 0 && (step % cfg.evalEvery === 0 || last)) evaluation = await evaluate(step);
      const event: StepEvent = {
        stage: STAGE,
        step,
        totalSteps: cfg.steps,
        loss: update.loss,
        lr,
        gradNorm: update.gradNorm,
        tokensPerSecond: rollouts.reduce((a, r) => a + r.completionIds.length, 0) / Math.max(seconds, 1e-9),
        backend: tf.getBackend(),
        metrics: {
          ...metrics,
          ...(evaluation === undefined
            ? {}
            : {
                heldOutReward: evaluation.meanReward,
                passAt1: evaluation.passAt1,
                [`passAt${cfg.evalK}`]: evaluation.passAtK,
              }),
        },
      };
      listeners.onStep?.(event);
      listeners.onProgress?.({ stage: STAGE, done: step, total: cfg.steps, unit: "steps" });
      if (cfg.checkpointEvery > 0 && step % cfg.checkpointEvery === 0 && !last) await checkpoint(step);
      if (options.signal?.aborted === true && step < cfg.steps) {
        aborted = true;
        await checkpoint(step);
        break;
      }
      if (step === cfg.steps) await checkpoint(step);
    }
  } finally {
    if (ownsReference) reference?.dispose();
    if (options.optimizer === undefined) optimizer.dispose();
  }
  return { config: cfg, steps, evaluations, aborted };
}

/** The seeded SFT replay batches, or undefined when replay is off; checks that conversations were given. */
function replayBatches(
  cfg: GrpoConfig,
  conversations: readonly Conversation[] | undefined,
  tokenizer: Tokenizer,
  seqLen: number,
): ConversationBatchSource | undefined {
  if (cfg.replayCoefficient === 0) return undefined;
  if (conversations === undefined || conversations.length === 0) {
    throw new LlmError(
      "INVALID_ARGUMENT",
      "config.replayCoefficient > 0 needs SFT conversations to replay.",
      {
        input: `replayCoefficient=${cfg.replayCoefficient}`,
        hint: "pass options.replayConversations (e.g. the SFT training mixture), or set replayCoefficient to 0.",
      },
    );
  }
  return new ConversationBatchSource(conversations, tokenizer, {
    batchSize: cfg.replayBatchSize,
    seqLen,
    seed: cfg.seed,
  });
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}
