/**
 * The RL stage: GRPO (@llm/rl's trainGrpo) from the SFT model on a task family with checkable
 * answers (`rl.task`; letter counting in the small preset; a list mixes several families, the
 * first one's held-out tasks measured), tools on through @llm/engine's sandbox, pass@1 on held-out
 * tasks before and after. A continued stage restarts from the last RL
 * checkpoint's weights for the remaining steps (trainGrpo does not restore its task order;
 * documented there); with a KL term (rl.beta > 0) its reference is still the SFT model.
 * With rl.replay each step also trains on the steps-first SFT model's own training mixture
 * (rebuilt from the config, so the same rows, never an eval prompt) with a weighted SFT loss.
 * With rl.wordStepGuard the rollouts are decoded with the chat's word-step guard (@llm/rl's
 * wordStepFilter), so RL scores the step lists the guarded chat would write.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { type Conversation, checkpointPaths, LlmError, type StepEvent, writeJsonAtomic } from "@llm/core";
import { ToolSandbox } from "@llm/engine";
import { loadCheckpoint } from "@llm/model";
import { rlTaskSets, trainGrpo, wordStepFilter } from "@llm/rl";
import type { PipelineConfig } from "../pipeline-config.js";
import type { RunDir } from "../run-dir.js";
import type { StageContext } from "../run-pipeline.js";
import { initStageBackend } from "../stage-backends.js";
import { letterWords } from "./letter-words.js";
import { loadKnowledgeBase } from "./load-knowledge-base.js";
import { loadRunTokenizer } from "./load-run-tokenizer.js";
import { metricsListeners } from "./metrics-listeners.js";
import { sftMixture, wordCountOptions } from "./sft-data.js";
import { corpusSearch } from "./sft-variant.js";
import { wordCountTexts } from "./word-count-texts.js";

/** The steps-first SFT model's training rows, for rl.replay. */
async function replayConversations(
  run: RunDir,
  config: PipelineConfig,
  words: readonly string[] | undefined,
): Promise<Conversation[]> {
  const knowledge = config.sft.knowledge;
  if (knowledge?.source === "memory" && knowledge.refusalFromBase !== undefined) {
    throw new LlmError(
      "INVALID_CONFIG",
      "rl.replay cannot rebuild an SFT mixture relabelled from the base model.",
      {
        input: "rl.replay with sft.knowledge.refusalFromBase",
        hint: "turn rl.replay off, or drop sft.knowledge.refusalFromBase.",
      },
    );
  }
  const kb = await loadKnowledgeBase(run);
  const search = knowledge?.source === "search" ? await corpusSearch(run) : undefined;
  return sftMixture(config, kb, "steps-first", words, search, await wordCountTexts(run, config)).train;
}

export async function rlStage(context: StageContext): Promise<Record<string, unknown>> {
  const { run, config, signal } = context;
  const r = config.rl;
  await initStageBackend("rl", context.backend, context.listeners);
  const tokenizer = await loadRunTokenizer(run);
  const dir = run.paths.checkpoint("rl");
  let doneSteps = 0;
  let from = run.paths.checkpoint("sft");
  const statePath = checkpointPaths(dir).state;
  if (context.action === "continue" && existsSync(statePath)) {
    const state = JSON.parse(await readFile(statePath, "utf8")) as { step?: number };
    doneSteps = state.step ?? 0;
    from = dir;
  }
  const checkpoint = await loadCheckpoint(from, { vocabSize: tokenizer.vocabSize });
  // The KL anchor is the SFT model, also when a continued stage starts from RL's own checkpoint.
  const reference =
    (r.beta ?? 0) > 0 && from !== run.paths.checkpoint("sft")
      ? (await loadCheckpoint(run.paths.checkpoint("sft"), { vocabSize: tokenizer.vocabSize })).model
      : undefined;
  const words = await letterWords(run, config);
  const kinds = Array.isArray(r.task) ? r.task : [r.task];
  const first = kinds[0];
  if (first === undefined) {
    throw new LlmError("INVALID_CONFIG", "rl.task is an empty list.", {
      input: "rl.task=[]",
      hint: 'Name at least one task family, e.g. "letter-count" or ["letter-count", "word-count"].',
    });
  }
  const w = config.sft.wordCount ?? {};
  const phrased = r.wordCountPhrasingShare ?? 0;
  const taskOptions = {
    count: 2000,
    evalCount: r.evalPrompts,
    seed: config.seed,
    arithmetic: config.sft.arithmetic,
    // RL's letter questions in the learners' phrasings too (held-out tasks keep the templates)
    letterCount: {
      ...(words ? { words } : {}),
      paraphraseShare: r.phrasingShare ?? config.sft.phrasing?.share ?? 0,
      balancedCounts: r.balancedLetterCounts ?? false,
    },
    wordCount: {
      ...wordCountOptions(config, words),
      // RL's word-count prompts in SFT's other phrasings (sentence-like texts), when asked for
      ...(phrased > 0
        ? {
            paraphraseShare: phrased,
            ...(w.morePhrasingShare !== undefined ? { morePhrasingShare: w.morePhrasingShare } : {}),
            ...(w.textFirstShare !== undefined ? { textFirstShare: w.textFirstShare } : {}),
            ...(w.repeatShare !== undefined ? { repeatShare: w.repeatShare } : {}),
            ...(w.firstRepeatShare !== undefined ? { firstRepeatShare: w.firstRepeatShare } : {}),
            ...(w.firstPersonShare !== undefined ? { firstPersonShare: w.firstPersonShare } : {}),
          }
        : {}),
    },
  };
  const mixed = rlTaskSets(kinds, taskOptions);
  // held-out pass@1 and the rl-gain probe's tasks: the first family's, as with one family
  const sets = {
    train: mixed.train,
    heldOut: kinds.length === 1 ? mixed.heldOut : rlTaskSets([first], taskOptions).heldOut,
  };
  await writeJsonAtomic(run.paths.evalSet("rl"), sets.heldOut);
  const replay =
    r.replay !== undefined && r.replay.coefficient > 0
      ? await replayConversations(run, config, words)
      : undefined;
  // A continued run counts its steps after the ones already done, so the curve continues.
  const display = {
    ...context.listeners,
    onStep: (event: StepEvent) =>
      context.listeners.onStep?.({ ...event, step: event.step + doneSteps, totalSteps: r.steps }),
  };
  const listeners = metricsListeners(run, "rl", display);
  const tools = await ToolSandbox.create();
  try {
    const result = await trainGrpo(
      { model: checkpoint.model, tokenizer },
      sets.train,
      {
        steps: Math.max(1, r.steps - doneSteps),
        promptsPerStep: r.promptsPerStep,
        groupSize: r.groupSize,
        maxNewTokens: r.maxNewTokens,
        temperature: r.temperature,
        greedyPerGroup: r.greedyPerGroup ?? 0,
        evalTemperature: r.temperature,
        learningRate: r.learningRate,
        passes: r.passes ?? 1,
        lossType: r.lossType ?? "grpo",
        beta: r.beta ?? 0,
        evalEvery: r.steps,
        evalSamples: 4,
        evalK: 4,
        seed: config.seed + doneSteps,
        checkpointEvery: Math.max(1, Math.ceil(r.steps / 4)),
        ...(replay ? { replayCoefficient: r.replay?.coefficient, replayBatchSize: r.replay?.batchSize } : {}),
        ...(r.wordStepGuard && r.filteredLoss ? { filteredLoss: true } : {}),
      },
      listeners,
      {
        heldOut: sets.heldOut,
        tools,
        checkpointDir: dir,
        signal,
        ...(reference ? { reference } : {}),
        ...(replay ? { replayConversations: replay } : {}),
        ...(r.wordStepGuard ? { logitsFilter: wordStepFilter(tokenizer, r.wordStepGuard) } : {}),
      },
    );
    await listeners.flush();
    const first = result.evaluations[0];
    const last = result.evaluations.at(-1);
    return {
      task: kinds.join(","),
      steps: doneSteps + result.steps.length,
      meanReward: result.steps.length
        ? result.steps.reduce((sum, s) => sum + s.reward, 0) / result.steps.length
        : undefined,
      passAt1Before: first?.passAt1,
      passAt1After: last?.passAt1,
      meanRewardBefore: first?.meanReward,
      meanRewardAfter: last?.meanReward,
      heldOutTasks: sets.heldOut.length,
      ...(r.wordStepGuard
        ? {
            wordStepGuard: r.wordStepGuard,
            filteredTokensMean: result.steps.length
              ? result.steps.reduce((sum, s) => sum + s.filteredTokens, 0) / result.steps.length
              : undefined,
          }
        : {}),
      ...(replay
        ? {
            replayRows: replay.length,
            replayLossLast: result.steps.at(-1)?.replayLoss,
          }
        : {}),
    };
  } finally {
    await tools.close();
    checkpoint.model.dispose();
    reference?.dispose();
  }
}
