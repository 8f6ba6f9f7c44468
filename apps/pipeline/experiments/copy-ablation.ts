/**
 * copy-ablation: which model and data settings make a small base model copy from its context
 * within a few hundred pretraining steps. Pretrains the `small` preset's model shape (its layers,
 * width, heads and context; batch 8, AdamW 3e-3) on a finished run's training shard, with or
 * without tied embeddings, learned attention gains, smeared keys and synthetic copy rows (@llm/data's
 * CopyRowsSource, uniform or, with --text-share, windows of the text), then prints one JSON line
 * with the copy score of @llm/probes' copyScore (validation passages written twice: loss on the
 * first copy, on the second, and on the second where the previous token repeats) and the mean training loss
 * of the last 10 steps. The "Copying" table of the README was measured with it.
 * Run: cd apps/pipeline && node --import tsx --conditions=@llm/source experiments/copy-ablation.ts RUN
 *   [--steps 300] [--warmup 100] [--share 0.1] [--text-share 0] [--alphabet N] [--untied] [--no-gain] [--no-smear]
 * Leaves out: the rest of the pipeline (use --set on the pipeline for that).
 */
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { parseCliOptions, runPaths } from "@llm/core";
import { CopyRowsSource, ShardBatchSource } from "@llm/data";
import { DataParallel, GPT, initBackend, Trainer } from "@llm/model";
import { copyScore } from "@llm/probes/evaluations";
import { BpeTokenizer } from "@llm/tokenizer";
import { small } from "../src/presets/small.js";

const { values, positionals } = parseCliOptions(process.argv.slice(2), {
  steps: { type: "string", default: "300" },
  warmup: { type: "string", default: "100" },
  share: { type: "string", default: "0.1" },
  "text-share": { type: "string", default: "0" },
  alphabet: { type: "string" },
  untied: { type: "boolean", default: false },
  "no-gain": { type: "boolean", default: false },
  "no-smear": { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
});
const run = positionals[0];
if (run === undefined || values.help) {
  console.log(
    "Usage: copy-ablation.ts RUN [--steps 300] [--warmup 100] [--share 0.1] [--text-share 0] [--alphabet N] [--untied] [--no-gain] [--no-smear]\n" +
      "RUN: a finished pipeline run folder (its tokenizer/ and data/shards/ are used). --share 0 --warmup 0: no copy rows.",
  );
  process.exit(run === undefined && !values.help ? 1 : 0);
}
const steps = Number(values.steps);
const warmupSteps = Number(values.warmup);
const share = Number(values.share);
const textShare = Number(values["text-share"]);
await initBackend("wasm");
const tokenizer = await BpeTokenizer.load(runPaths(run).tokenizerJson);
const bosId = tokenizer.specialId("<|bos|>");
const shard = (name: string) => [join(runPaths(run).shards, `${name}_000000.bin`)];
const { nLayer, nEmbd, nHead, seqLen } = small.pretrain.model;
const shardOptions = { batchSize: 8, seqLen, valFraction: 0, seed: 42 };
const natural = await ShardBatchSource.open({ ...shardOptions, shards: shard("train") });
const val = await ShardBatchSource.open({ ...shardOptions, shards: shard("val"), shuffle: false });
const copies = warmupSteps > 0 || share > 0;
const train = copies
  ? new CopyRowsSource(natural, {
      vocabSize: Number(values.alphabet ?? tokenizer.ordinarySize),
      bosId,
      warmupSteps,
      share,
      textShare,
      seed: 42,
    })
  : natural;
const settings = {
  nLayer,
  nEmbd,
  nHead,
  seqLen,
  smearKeys: !values["no-smear"],
  qkGain: !values["no-gain"],
  tieEmbeddings: !values.untied,
};
const model = new GPT({ vocabSize: tokenizer.vocabSize, ...settings }, { seed: 42 });
const parallel = await DataParallel.create(model, { workers: availableParallelism() - 1 });
const trainer = new Trainer(model, {
  totalSteps: steps,
  lr: 3e-3,
  warmupSteps: 40,
  weightDecay: 0.01,
  seed: 42,
  gradients: (batch) => parallel.computeGradients(batch),
});
try {
  const { losses } = await trainer.run(train);
  const last = losses.slice(-10);
  const score = await copyScore(model, val, bosId);
  console.log(
    JSON.stringify({
      steps,
      copyRows: copies
        ? {
            warmupSteps,
            share,
            textShare,
            alphabet: Number(values.alphabet ?? tokenizer.ordinarySize),
          }
        : null,
      tied: settings.tieEmbeddings,
      qkGain: settings.qkGain,
      smearKeys: settings.smearKeys,
      // mean training loss of the last 10 steps (on copy rows only, during an all-copy warm-up)
      trainLoss: Number((last.reduce((x, y) => x + y, 0) / Math.max(1, last.length)).toFixed(3)),
      firstCopyLoss: Number(score.firstCopyLoss.toFixed(3)),
      secondCopyLoss: Number(score.secondCopyLoss.toFixed(3)),
      repeatedCopyLoss: Number(score.repeatedCopyLoss.toFixed(3)),
    }),
  );
} finally {
  await parallel.dispose();
  trainer.dispose();
  model.dispose();
  await natural.close();
  await val.close();
}
