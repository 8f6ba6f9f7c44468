/**
 * trainSft: supervised fine-tuning of a GPT on conversations, built on @llm/model's trainer
 * (AdamW, learning-rate schedule, clipping, accumulation, validation, atomic checkpoints, step
 * events): the conversations become a ConversationBatchSource whose batches carry the
 * assistant-only mask, and the model's masked loss gives sum(mask * CE) / sum(mask).
 * Reference: nanochat's chat_sft.py, TRL's SFTTrainer (assistant_only_loss, packing).
 * Leaves out: LoRA/adapters (the whole model is trained) and NEFTune noise.
 */
import type { Conversation, Listeners, Tokenizer } from "@llm/core";
import { LlmError } from "@llm/core";
import { type GPT, type LoadedCheckpoint, type TrainConfig, Trainer, type TrainResult } from "@llm/model";
import { ConversationBatchSource } from "./conversation-batch-source.js";

export interface SftConfig extends Omit<TrainConfig, "valSource" | "totalSteps" | "tokenBytes"> {
  /** The tokenizer the model was trained with. */
  tokenizer: Tokenizer;
  /** Rows per micro-batch. Default 8. */
  batchSize?: number;
  /** Tokens per row. Default: the model's seqLen. */
  seqLen?: number;
  /** "pack" (default) or "pad"; see ConversationBatchSource. */
  mode?: "pack" | "pad";
  /** Optimizer steps. Default: enough for `epochs` passes over the packed rows. */
  steps?: number;
  /** Passes over the training conversations when `steps` is not given. Default 1. */
  epochs?: number;
  /** Validation conversations (masked loss every evalEvery steps and at the end). Default none. */
  valConversations?: readonly Conversation[];
  /** Resume from this checkpoint (weights already in `model`): optimizer, step, data position. */
  resumeFrom?: LoadedCheckpoint;
  /** Stops cleanly after the current step when aborted (and checkpoints it when checkpointDir is set). */
  signal?: AbortSignal;
}

export interface SftResult extends TrainResult {
  /** Conversations that did not fit into a row and were skipped. */
  skipped: number;
  /** Training rows per epoch. */
  rowsPerEpoch: number;
  /** Optimizer steps the run was configured for. */
  totalSteps: number;
}

export async function trainSft(
  model: GPT,
  conversations: readonly Conversation[],
  config: SftConfig,
  listeners: Listeners = {},
): Promise<SftResult> {
  const {
    tokenizer,
    batchSize = 8,
    mode = "pack",
    epochs = 1,
    valConversations,
    resumeFrom,
    signal,
    steps,
    ...rest
  } = config;
  const seqLen = config.seqLen ?? model.config.seqLen;
  if (seqLen > model.config.seqLen) {
    throw new LlmError(
      "INVALID_CONFIG",
      `seqLen ${seqLen} is longer than the model's context ${model.config.seqLen}.`,
      {
        input: `seqLen=${seqLen}`,
        hint: "Leave seqLen out to use the model's context length.",
      },
    );
  }
  if (tokenizer.vocabSize > model.config.vocabSize) {
    throw new LlmError("FILE_MISMATCH", "The tokenizer has more ids than the model's vocabulary.", {
      input: `tokenizer ${tokenizer.vocabSize}, model ${model.config.vocabSize}`,
      hint: "Fine-tune with the tokenizer the base model was trained with.",
    });
  }
  const seed = config.seed ?? 0;
  const source = new ConversationBatchSource(conversations, tokenizer, { batchSize, seqLen, mode, seed });
  const valSource =
    valConversations && valConversations.length > 0
      ? new ConversationBatchSource(valConversations, tokenizer, {
          batchSize,
          seqLen,
          mode,
          seed,
          shuffle: false,
        })
      : undefined;
  const accum = config.gradAccumSteps ?? 1;
  const totalSteps = steps ?? Math.max(1, Math.ceil((epochs * source.rowsPerEpoch) / (batchSize * accum)));
  if (source.skipped > 0) {
    listeners.onLog?.({
      stage: config.stage ?? "sft",
      level: "warn",
      message: `${source.skipped} conversations do not fit into ${seqLen + 1} tokens and were skipped`,
    });
  }
  const trainConfig: TrainConfig = {
    ...rest,
    stage: config.stage ?? "sft",
    totalSteps,
    ...(valSource
      ? {
          valSource,
          evalBatches: config.evalBatches ?? Math.max(1, Math.ceil(valSource.rowsPerEpoch / batchSize)),
        }
      : {}),
  };
  const trainer = new Trainer(model, trainConfig, listeners);
  try {
    if (resumeFrom) trainer.restore(resumeFrom, source);
    const result = await trainer.run(source, signal ? { signal } : {});
    // An aborted run checkpoints the step it stopped at, so that it resumes from there.
    if (signal?.aborted && trainer.step < totalSteps && config.checkpointDir !== undefined) {
      await trainer.save(config.checkpointDir, source);
    }
    return { ...result, skipped: source.skipped, rowsPerEpoch: source.rowsPerEpoch, totalSteps };
  } finally {
    trainer.dispose();
  }
}
