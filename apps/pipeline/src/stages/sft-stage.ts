/**
 * The SFT stage: fine-tunes the base model into an assistant with @llm/sft's trainSft on the
 * pipeline's mixture (sft-data.ts), arithmetic written steps-first, into sft/; then, from the same
 * base and with the same mixture except that arithmetic answers come first, the answer-first twin
 * into sft-answer-first/ for the reasoning-order probe. Each model continues from its own
 * checkpoint when the stage is resumed.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeJsonAtomic } from "@llm/core";
import { initBackend, type LoadedCheckpoint, loadCheckpoint } from "@llm/model";
import { type ArithmeticForm, type KnowledgeBase, trainSft } from "@llm/sft";
import type { StageContext } from "../run-pipeline.js";
import { loadRunTokenizer } from "./load-run-tokenizer.js";
import { metricsListeners } from "./metrics-listeners.js";
import { evalSets, sftMixture } from "./sft-data.js";

export async function readKnowledgeBase(context: StageContext): Promise<KnowledgeBase> {
  return JSON.parse(await readFile(context.run.path("data", "knowledge.json"), "utf8")) as KnowledgeBase;
}

async function trainVariant(
  context: StageContext,
  kb: KnowledgeBase,
  form: ArithmeticForm,
  folder: "sft" | "sft-answer-first",
): Promise<Record<string, unknown>> {
  const { run, config, signal } = context;
  const s = config.sft;
  const tokenizer = await loadRunTokenizer(run);
  const dir = run.checkpointDir(folder);
  let resume: LoadedCheckpoint | undefined;
  if (existsSync(join(dir, "state.json"))) {
    resume = await loadCheckpoint(dir, { vocabSize: tokenizer.vocabSize });
    if (resume.state.step >= s.steps) {
      resume.model.dispose();
      return { steps: resume.state.step, resumed: "already finished" };
    }
  }
  const start =
    resume ?? (await loadCheckpoint(run.checkpointDir("base"), { vocabSize: tokenizer.vocabSize }));
  const data = sftMixture(config, kb, form);
  const listeners = metricsListeners(run, folder, context.listeners, folder);
  try {
    const result = await trainSft(
      start.model,
      data.train,
      {
        tokenizer,
        batchSize: s.batchSize,
        steps: s.steps,
        lr: s.learningRate,
        warmupSteps: s.warmupSteps,
        weightDecay: s.weightDecay,
        evalEvery: s.evalEvery,
        checkpointDir: dir,
        checkpointEvery: s.checkpointEvery,
        seed: config.seed,
        valConversations: data.val,
        stage: folder,
        signal,
        ...(resume ? { resumeFrom: resume } : {}),
      },
      listeners,
    );
    await listeners.flush();
    return {
      steps: result.steps,
      conversations: data.train.length,
      valConversations: data.val.length,
      mixture: data.counts,
      skipped: result.skipped,
      finalLoss: result.losses.at(-1),
      valLoss: result.valLoss,
    };
  } finally {
    start.model.dispose();
  }
}

export async function sftStage(context: StageContext): Promise<Record<string, unknown>> {
  const { run, config } = context;
  await initBackend(context.backend, { listeners: context.listeners });
  const kb = await readKnowledgeBase(context);
  await writeJsonAtomic(run.evalPath("sft"), evalSets(config, kb));
  const summary: Record<string, unknown> = {
    stepsFirst: await trainVariant(context, kb, "steps-first", "sft"),
  };
  if (config.sft.reasoningOrderVariants && !context.signal.aborted) {
    summary.answerFirst = await trainVariant(context, kb, "answer-first", "sft-answer-first");
  }
  return summary;
}
