/**
 * The pretrain stage: trains the base GPT on the token shards of the tokenizer stage with
 * @llm/model's Trainer (AdamW, warmup + cosine, validation loss and bits per byte), writing a
 * resumable checkpoint to base/ every `checkpointEvery` steps. A continued stage loads base/ and
 * restores optimizer, step, RNG and data position, so it ends on the same weights as an
 * uninterrupted run. On abort it stops after the current step and checkpoints.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ShardBatchSource } from "@llm/data";
import { GPT, initBackend, loadCheckpoint, Trainer } from "@llm/model";
import { tokenByteLengths } from "@llm/tokenizer";
import type { StageContext } from "../run-pipeline.js";
import { loadRunTokenizer, shardFiles } from "./load-run-tokenizer.js";
import { metricsListeners } from "./metrics-listeners.js";
import { YieldingBatchSource } from "./yielding-source.js";

export async function pretrainStage(context: StageContext): Promise<Record<string, unknown>> {
  const { run, config, signal } = context;
  const p = config.pretrain;
  const backend = await initBackend(context.backend, { listeners: context.listeners });
  const tokenizer = await loadRunTokenizer(run);
  const shards = await shardFiles(run.shardsDir);
  const shardOptions = { batchSize: p.batchSize, seqLen: p.model.seqLen, valFraction: 0, seed: config.seed };
  const trainSource = await ShardBatchSource.open({ ...shardOptions, shards: shards.train });
  const valSource = await ShardBatchSource.open({ ...shardOptions, shards: shards.val, shuffle: false });
  const dir = run.checkpointDir("base");
  const resume =
    context.action === "continue" && existsSync(join(dir, "state.json"))
      ? await loadCheckpoint(dir, { vocabSize: tokenizer.vocabSize })
      : undefined;
  const model =
    resume?.model ?? new GPT({ vocabSize: tokenizer.vocabSize, ...p.model }, { seed: config.seed });
  const listeners = metricsListeners(run, "base", context.listeners);
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
    return {
      backend: backend.name,
      parameters: model.parameterCount(),
      steps: result.steps,
      finalLoss: result.losses.at(-1),
      valLoss: result.valLoss,
      valBpb: result.valBpb,
      tokensPerStep: p.batchSize * p.model.seqLen,
    };
  } finally {
    trainer.dispose();
    model.dispose();
    await trainSource.close();
    await valSource.close();
  }
}
