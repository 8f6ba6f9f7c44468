/**
 * One SFT model of the pipeline: fine-tunes the base checkpoint on the pipeline's mixture with
 * arithmetic in the given order (steps-first or answer-first) into its folder, with @llm/sft's
 * masked conversation batches and @llm/model's Trainer (so that Ctrl-C checkpoints the step it
 * stopped at, as in pretraining), continuing from the folder's checkpoint when there is one.
 * A plain-data job, so that it can run in a worker thread (sft-variant-worker.ts).
 */
import { existsSync } from "node:fs";
import { checkpointPaths, type Listeners } from "@llm/core";
import { CorpusSearch, readRunSearchDocuments } from "@llm/engine";
import { type LoadedCheckpoint, loadCheckpoint, Trainer } from "@llm/model";
import { type ArithmeticForm, ConversationBatchSource, withRefusalsFor } from "@llm/sft";
import type { PipelineConfig } from "../pipeline-config.js";
import { RunDir } from "../run-dir.js";
import { loadKnowledgeBase } from "./load-knowledge-base.js";
import { loadRunTokenizer } from "./load-run-tokenizer.js";
import { metricsListeners } from "./metrics-listeners.js";
import { sftMixture } from "./sft-data.js";
import { wordCountTexts } from "./word-count-texts.js";
import { YieldingBatchSource } from "./yielding-source.js";

export interface VariantJob {
  runRoot: string;
  config: PipelineConfig;
  form: ArithmeticForm;
  folder: "sft" | "sft-answer-first";
  /** Words of the letter tasks (letterWords of the run), read once by the SFT stage. */
  words?: string[];
  /** Known-train entities taught as refusals (sft.knowledge.refusalFromBase), chosen once by the SFT stage. */
  refusals?: string[];
}

/** The tool's search() over the run's corpus, as the probes and the chat app give it to the sandbox. */
export async function corpusSearch(run: RunDir): Promise<(query: string) => string[]> {
  const search = new CorpusSearch(await readRunSearchDocuments(run.root));
  return (query) => search.search(query);
}

export async function trainVariant(
  job: VariantJob,
  display: Listeners,
  signal: AbortSignal,
): Promise<Record<string, unknown>> {
  const { config, form, folder } = job;
  const run = new RunDir(job.runRoot);
  const s = config.sft;
  const known = await loadKnowledgeBase(run);
  const kb = job.refusals ? withRefusalsFor(known, job.refusals) : known;
  const tokenizer = await loadRunTokenizer(run);
  const dir = run.paths.checkpoint(folder);
  let resume: LoadedCheckpoint | undefined;
  if (existsSync(checkpointPaths(dir).state)) {
    resume = await loadCheckpoint(dir, { vocabSize: tokenizer.vocabSize });
    if (resume.state.step >= s.steps) {
      resume.model.dispose();
      return { steps: resume.state.step, resumed: "already finished" };
    }
  }
  const start =
    resume ?? (await loadCheckpoint(run.paths.checkpoint("base"), { vocabSize: tokenizer.vocabSize }));
  const model = start.model;
  const data = sftMixture(
    config,
    kb,
    form,
    job.words,
    s.knowledge?.source === "search" ? await corpusSearch(run) : undefined,
    await wordCountTexts(run, config),
  );
  const seqLen = model.config.seqLen;
  const source = new ConversationBatchSource(data.train, tokenizer, {
    batchSize: s.batchSize,
    seqLen,
    seed: config.seed,
  });
  const valSource = new ConversationBatchSource(data.val, tokenizer, {
    batchSize: s.batchSize,
    seqLen,
    seed: config.seed,
    shuffle: false,
  });
  if (source.skipped > 0) {
    display.onLog?.({
      stage: folder,
      level: "warn",
      message: `${source.skipped} conversations do not fit into ${seqLen + 1} tokens and were left out`,
    });
  }
  const listeners = metricsListeners(run, folder, display, folder);
  // @llm/model's Trainer with @llm/sft's masked conversation batches (what trainSft does), so that
  // Ctrl-C can checkpoint the step it stopped at, as in pretraining.
  const trainer = new Trainer(
    model,
    {
      totalSteps: s.steps,
      lr: s.learningRate,
      warmupSteps: s.warmupSteps,
      weightDecay: s.weightDecay,
      evalEvery: s.evalEvery,
      evalBatches: Math.max(1, Math.min(8, Math.ceil(data.val.length / s.batchSize))),
      valSource,
      checkpointDir: dir,
      checkpointEvery: s.checkpointEvery,
      stage: folder,
      seed: config.seed,
    },
    listeners,
  );
  try {
    if (resume) trainer.restore(resume, source);
    const result = await trainer.run(new YieldingBatchSource(source), { signal });
    if (signal.aborted && trainer.step < s.steps) await trainer.save(dir, source);
    await listeners.flush();
    return {
      steps: result.steps,
      conversations: data.train.length,
      valConversations: data.val.length,
      mixture: data.counts,
      skipped: source.skipped,
      finalLoss: result.losses.at(-1),
      valLoss: result.valLoss,
    };
  } finally {
    trainer.dispose();
    model.dispose();
  }
}
