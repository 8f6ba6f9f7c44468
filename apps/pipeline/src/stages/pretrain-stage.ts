/**
 * The pretrain stage: trains the base GPT on the token shards of the tokenizer stage with
 * @llm/model's Trainer (AdamW, warmup + cosine, validation loss and bits per byte), writing a
 * resumable checkpoint to base/ every `checkpointEvery` steps. A continued stage loads base/ and
 * restores optimizer, step, RNG and data position, so it ends on the same weights as an
 * uninterrupted run. On abort it stops after the current step and checkpoints.
 * The summary holds the base model's copy score and its recall of the known entities' facts
 * (copyScore, factRecall of @llm/probes/evaluations).
 * With `copyRows`, synthetic copy rows (@llm/data's CopyRowsSource) replace some training rows
 * (with `countedShare`, that share of them after the warm-up are counted copies of the row's own
 * words, " the 1 cat 2 ...", numbered up to 15);
 * with data.memorization, the passages of data/memorization.json take rows of their own, each
 * passage exactly as many times as its group says (@llm/data's RepeatedDocumentsSource).
 * On the single-threaded backends (wasm, cpu) each batch is split over every core with
 * @llm/model's DataParallel (main thread + cores - 1 workers); the native backends thread their
 * own kernels.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { type BatchSource, checkpointPaths } from "@llm/core";
import {
  CopyRowsSource,
  countedCopyTokens,
  RepeatedDocumentsSource,
  repeatedPassageDocuments,
  ShardBatchSource,
} from "@llm/data";
import { DataParallel, GPT, loadCheckpoint, Trainer } from "@llm/model";
import { copyScore, factRecall } from "@llm/probes/evaluations";
import { tokenByteLengths } from "@llm/tokenizer";
import type { StageContext } from "../run-pipeline.js";
import { initStageBackend } from "../stage-backends.js";
import { loadKnowledgeBase } from "./load-knowledge-base.js";
import { loadRunTokenizer, shardFiles } from "./load-run-tokenizer.js";
import { readMemorizationFile } from "./memorization-file.js";
import { metricsListeners } from "./metrics-listeners.js";
import { isSingleThreaded } from "./stage-worker.js";
import { YieldingBatchSource } from "./yielding-source.js";

export async function pretrainStage(context: StageContext): Promise<Record<string, unknown>> {
  const { run, config, signal } = context;
  const p = config.pretrain;
  const backend = await initStageBackend("pretrain", context.backend, context.listeners);
  const tokenizer = await loadRunTokenizer(run);
  const shards = await shardFiles(run.paths.shards);
  const bosId = tokenizer.specialId("<|bos|>");
  const shardOptions = { batchSize: p.batchSize, seqLen: p.model.seqLen, valFraction: 0, seed: config.seed };
  const shardSource = await ShardBatchSource.open({ ...shardOptions, shards: shards.train });
  const naturalAndCopyRows = p.copyRows
    ? new CopyRowsSource(shardSource, {
        warmupSteps: p.copyRows.warmupSteps,
        share: p.copyRows.share,
        minSpan: p.copyRows.minSpan,
        maxSpan: p.copyRows.maxSpan,
        textShare: p.copyRows.textShare,
        vocabSize: tokenizer.ordinarySize,
        bosId,
        seed: config.seed,
        ...(p.copyRows.countedShare
          ? {
              counted: {
                share: p.copyRows.countedShare,
                tokens: countedCopyTokens(tokenizer, 15),
                fromStep: p.copyRows.warmupSteps,
              },
            }
          : {}),
      })
    : shardSource;
  // data.memorization: each passage written into exactly `repeats` rows after the copy warm-up
  const memorization = config.data.memorization ? await readMemorizationFile(run) : undefined;
  const repeated = memorization ? repeatedPassageDocuments(memorization, tokenizer) : [];
  const trainSource: BatchSource =
    repeated.length > 0
      ? new RepeatedDocumentsSource(naturalAndCopyRows, {
          documents: repeated,
          totalRows: p.steps * p.batchSize,
          startRow: Math.min(p.copyRows?.warmupSteps ?? 0, p.steps - 1) * p.batchSize,
          bosId,
          seed: config.seed,
        })
      : naturalAndCopyRows;
  const repeatedCopies = repeated.reduce((sum, d) => sum + d.repeats, 0);
  const valSource = await ShardBatchSource.open({ ...shardOptions, shards: shards.val, shuffle: false });
  const dir = run.paths.checkpoint("base");
  const resume =
    context.action === "continue" && existsSync(checkpointPaths(dir).state)
      ? await loadCheckpoint(dir, { vocabSize: tokenizer.vocabSize })
      : undefined;
  const model =
    resume?.model ?? new GPT({ vocabSize: tokenizer.vocabSize, ...p.model }, { seed: config.seed });
  const listeners = metricsListeners(run, "base", context.listeners);
  const workers = isSingleThreaded(backend.name) ? availableParallelism() - 1 : 0;
  const parallel = workers > 0 ? await DataParallel.create(model, { workers }) : undefined;
  if (parallel) {
    context.listeners.onLog?.({
      stage: "pretrain",
      level: "info",
      message: `data parallel: each batch split over ${parallel.parallelism} threads`,
    });
  }
  const trainer = new Trainer(
    model,
    {
      totalSteps: p.steps,
      lr: p.learningRate,
      warmupSteps: p.warmupSteps,
      weightDecay: p.weightDecay,
      evalEvery: p.evalEvery,
      evalBatches: 4,
      valSource,
      tokenBytes: tokenByteLengths(tokenizer),
      checkpointDir: dir,
      checkpointEvery: p.checkpointEvery,
      stage: "pretrain",
      seed: config.seed,
      ...(parallel ? { gradients: (batch) => parallel.computeGradients(batch) } : {}),
    },
    listeners,
  );
  try {
    if (resume) {
      trainer.restore(resume, trainSource);
      context.listeners.onLog?.({
        stage: "pretrain",
        level: "info",
        message: `resuming from step ${trainer.step}`,
      });
    }
    const result = await trainer.run(new YieldingBatchSource(trainSource), { signal });
    if (signal.aborted && trainer.step < p.steps) await trainer.save(dir, trainSource);
    await listeners.flush();
    const copy = await copyScore(model, valSource, bosId);
    const kb = await loadKnowledgeBase(run);
    const recall = await factRecall(model, tokenizer, kb, bosId);
    return {
      backend: backend.name,
      backendLabel: backend.label,
      ...(backend.adapter ? { adapter: backend.adapter } : {}),
      parameters: model.parameterCount(),
      steps: result.steps,
      finalLoss: result.losses.at(-1),
      valLoss: result.valLoss,
      valBpb: result.valBpb,
      tokensPerStep: p.batchSize * p.model.seqLen,
      threads: parallel?.parallelism ?? 1,
      ...(memorization
        ? {
            // memorization passages (data.memorization): rows and training tokens they took
            memorizationPassages: repeated.length,
            memorizationCopies: repeatedCopies,
            memorizationTokenShare:
              repeated.reduce((sum, d) => sum + d.repeats * (d.ids.length + 2), 0) /
              (p.steps * p.batchSize * p.model.seqLen),
          }
        : {}),
      // in-context copying: loss on validation passages written twice (@llm/probes' copyScore)
      firstCopyLoss: copy.firstCopyLoss,
      secondCopyLoss: copy.secondCopyLoss,
      // the second copy where the previous token repeats in the passage (which occurrence?)
      repeatedCopyLoss: copy.repeatedCopyLoss,
      // greedy completion of the known entities' key facts (@llm/probes' factRecall)
      factRecallTrain: recall.trainRecall,
      factRecallEval: recall.evalRecall,
    };
  } finally {
    await parallel?.dispose();
    trainer.dispose();
    model.dispose();
    await shardSource.close();
    await valSource.close();
  }
}
