/**
 * The SFT stage: fine-tunes the base model into an assistant on the pipeline's mixture
 * (sft-data.ts) with arithmetic written steps-first, into sft/; and, from the same base with the
 * same mixture except that arithmetic answers come first, the answer-first twin into
 * sft-answer-first/ for the reasoning-order probe. With more than one core the twin trains in a
 * worker thread at the same time (each wasm backend uses one thread). Each model continues from
 * its own checkpoint when the stage is resumed; Ctrl-C checkpoints both.
 */

import { availableParallelism } from "node:os";
import { writeJsonAtomic } from "@llm/core";
import { loadCheckpoint } from "@llm/model";
import { nameFamiliarity, type Unfamiliar, unfamiliarEntities } from "@llm/probes/evaluations";
import type { KnowledgeBase } from "@llm/sft";
import type { StageContext } from "../run-pipeline.js";
import { initStageBackend } from "../stage-backends.js";
import { letterWords } from "./letter-words.js";
import { loadKnowledgeBase } from "./load-knowledge-base.js";
import { loadRunTokenizer } from "./load-run-tokenizer.js";
import { evalSets } from "./sft-data.js";
import { trainVariant, type VariantJob } from "./sft-variant.js";
import { isSingleThreaded, runStageWorker } from "./stage-worker.js";

/** The known-train entities the base model does not recognise, when sft.knowledge.refusalFromBase is set. */
async function refusalsFromBase(context: StageContext, kb: KnowledgeBase): Promise<Unfamiliar | undefined> {
  const knowledge = context.config.sft.knowledge;
  // With search, the tool's result decides between answer and refusal, not the base model.
  if (knowledge?.source !== "memory" || knowledge.refusalFromBase === undefined) return undefined;
  const quantile = knowledge.refusalFromBase;
  const tokenizer = await loadRunTokenizer(context.run);
  const { model } = await loadCheckpoint(context.run.paths.checkpoint("base"), {
    vocabSize: tokenizer.vocabSize,
  });
  try {
    const bosId = tokenizer.specialId("<|bos|>");
    const scores = new Map<string, number>();
    // unfamiliarEntities reads the training entities only; the probe's held-out ones stay unscored
    for (const e of kb.entities.filter((x) => x.split.endsWith("train"))) {
      scores.set(e.name, await nameFamiliarity(model, tokenizer, bosId, e));
    }
    const result = unfamiliarEntities(
      kb,
      (e) => scores.get(e.name) as number,
      quantile,
      "sft.knowledge.refusalFromBase",
    );
    context.listeners.onLog?.({
      stage: "sft",
      level: "info",
      message: `refusals from the base model: ${result.names.length} of ${result.knownTrain} known entities unrecognised (name score <= ${result.threshold.toFixed(2)})`,
    });
    return result;
  } finally {
    model.dispose();
  }
}

export async function sftStage(context: StageContext): Promise<Record<string, unknown>> {
  const { run, config } = context;
  const backend = await initStageBackend("sft", context.backend, context.listeners);
  const kb = await loadKnowledgeBase(run);
  const words = await letterWords(run, config);
  await writeJsonAtomic(run.paths.evalSet("sft"), evalSets(config, kb, words));
  const refusals = await refusalsFromBase(context, kb);
  const main: VariantJob = {
    runRoot: run.root,
    config,
    form: "steps-first",
    folder: "sft",
    words,
    ...(refusals ? { refusals: refusals.names } : {}),
  };
  const trained = await trainVariants(context, main, isSingleThreaded(backend.name));
  if (!refusals) return trained;
  const { names, knownTrain, threshold } = refusals;
  return { ...trained, refusalFromBase: { relabelled: names.length, knownTrain, threshold } };
}

/**
 * The steps-first model and, for the reasoning-order probe, its answer-first twin (in a worker
 * when the backend is single-threaded and there is a second core; one after the other on webgpu).
 */
async function trainVariants(
  context: StageContext,
  main: VariantJob,
  singleThreaded: boolean,
): Promise<Record<string, unknown>> {
  const { config } = context;
  if (!config.sft.reasoningOrderVariants) {
    return { stepsFirst: await trainVariant(main, context.listeners, context.signal) };
  }
  const twin: VariantJob = { ...main, form: "answer-first", folder: "sft-answer-first" };
  if (singleThreaded && availableParallelism() > 1) {
    const [stepsFirst, answerFirst] = await Promise.all([
      trainVariant(main, context.listeners, context.signal),
      runStageWorker<Record<string, unknown>>(
        new URL("./sft-variant-worker.ts", import.meta.url),
        twin,
        context,
        `SFT variant ${twin.folder}`,
      ),
    ]);
    return { stepsFirst, answerFirst, parallel: true };
  }
  const stepsFirst = await trainVariant(main, context.listeners, context.signal);
  if (context.signal.aborted) return { stepsFirst };
  return {
    stepsFirst,
    answerFirst: await trainVariant(twin, context.listeners, context.signal),
    parallel: false,
  };
}
