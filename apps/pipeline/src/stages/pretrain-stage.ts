/**
 * The pretrain stage: trains the base GPT on the token shards of the tokenizer stage with
 * @llm/model's Trainer (AdamW, warmup + cosine, validation loss and bits per byte), writing a
 * resumable checkpoint to base/ every `checkpointEvery` steps. A continued stage loads base/ and
 * restores optimizer, step, RNG and data position, so it ends on the same weights as an
 * uninterrupted run. On abort it stops after the current step and checkpoints.
 * The summary holds the base model's copy score (copy-score.ts) and its recall of the known
 * entities' facts (fact-recall.ts).
 * With `copyRows`, synthetic copy rows (@llm/data's CopyRowsSource) replace some training rows.
 * On the single-threaded backends (wasm, cpu) each batch is split over every core with
 * @llm/model's DataParallel (main thread + cores - 1 workers); the native backends thread their
 * own kernels.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { CopyRowsSource, ShardBatchSource } from "@llm/data";
import { DataParallel, GPT, initBackend, loadCheckpoint, Trainer } from "@llm/model";
import { tokenByteLengths } from "@llm/tokenizer";
import type { StageContext } from "../run-pipeline.js";
import { copyScore } from "./copy-score.js";
import { factRecall } from "./fact-recall.js";
import { loadKnowledgeBase } from "./load-knowledge-base.js";
import { loadRunTokenizer, shardFiles } from "./load-run-tokenizer.js";
import { metricsListeners } from "./metrics-listeners.js";
import { isSingleThreaded } from "./stage-worker.js";
import { YieldingBatchSource } from "./yielding-source.js";

export async function pretrainStage(context: StageContext): Promise<Record<string, unknown>> {
  const { run, config, signal } = context;
  const p = config.pretrain;
  const backend = await initBackend(context.backend, { listeners: context.listeners });
  const tokenizer = await loadRunTokenizer(run);
  const shards = await shardFiles(run.shardsDir);
  const bosId = tokenizer.specialId("<|bos|>");
  const shardOptions = { batchSize: p.batchSize, seqLen: p.model.seqLen, valFraction: 0, seed: config.seed };
  const shardSource = await ShardBatchSource.open({ ...shardOptions, shards: shards.train });
  const trainSource = p.copyRows
    ? new CopyRowsSource(shardSource, {
        ...p.copyRows,
        vocabSize: tokenizer.ordinarySize,
        bosId,
        seed: config.seed,
      })
    : shardSource;
  const valSource = await ShardBatchSource.open({ ...shardOptions, shards: shards.val, shuffle: false });
  const dir = run.checkpointDir("base");
  const resume =
    context.action === "continue" && existsSync(join(dir, "state.json"))
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
      parameters: model.parameterCount(),
      steps: result.steps,
      finalLoss: result.losses.at(-1),
      valLoss: result.valLoss,
      valBpb: result.valBpb,
      tokensPerStep: p.batchSize * p.model.seqLen,
      threads: parallel?.parallelism ?? 1,
      // in-context copying: loss on validation passages written twice (copy-score.ts)
      firstCopyLoss: copy.firstCopyLoss,
      secondCopyLoss: copy.secondCopyLoss,
      // greedy completion of the known entities' key facts (fact-recall.ts)
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
