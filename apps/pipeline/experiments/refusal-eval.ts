/**
 * refusal-eval: what the SFT model's "I don't know" follows. For every held-out entity of a run
 * (and the training ones with --train), prints the base model's name score (nameFamiliarity of
 * @llm/probes' nameFamiliarity: mean log-probability of the name's later tokens in the
 * question; names the base model has read score higher) next to the SFT model's greedy answer,
 * sorted by score, and the AUC of the score for known against unknown held-out names, with the
 * base model and with the SFT model (how much of what the base model read survives SFT). A model
 * that used what the base model has read would refuse below some score and answer above it.
 * Run: cd apps/pipeline && node --import tsx --conditions=@llm/source experiments/refusal-eval.ts RUN [--train]
 * For runs whose SFT answers from memory (sft.knowledge.source "memory"); it refuses the others.
 * Leaves out: the facts in the answers (the knowledge-and-refusal probe scores them).
 */
import { readFile } from "node:fs/promises";
import { parseCliOptions, runPaths } from "@llm/core";
import { initBackend, loadCheckpoint } from "@llm/model";
import { chatOnce, isRefusal, loadProbeContext } from "@llm/probes";
import { nameFamiliarity } from "@llm/probes/evaluations";
import { entityQuestion, type KnowledgeBase } from "@llm/sft";
import { BpeTokenizer } from "@llm/tokenizer";

const { values, positionals } = parseCliOptions(process.argv.slice(2), {
  train: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
});
const run = positionals[0];
if (run === undefined || values.help) {
  console.log(
    "Usage: refusal-eval.ts RUN [--train]\nRUN: a pipeline run folder with base/ and sft/ checkpoints.",
  );
  process.exit(run === undefined && !values.help ? 1 : 0);
}
const runConfig = JSON.parse(await readFile(runPaths(run).config, "utf8")) as {
  // knowledgeSearch: runs made before sft.knowledge
  preset?: { sft?: { knowledge?: { source?: string }; knowledgeSearch?: boolean } };
};
const runSft = runConfig.preset?.sft;
if (runSft?.knowledge?.source === "search" || runSft?.knowledgeSearch) {
  console.error(
    `${run}: this run's SFT model looks entities up (sft.knowledge.source "search"), and refusal-eval studies answers from memory.\nRun it on a run made with --set 'sft.knowledge={"source":"memory","refusalFromBase":0.9}'; the knowledge-and-refusal probe measures the search.`,
  );
  process.exit(1);
}
await initBackend("wasm");
const kb = JSON.parse(await readFile(runPaths(run).knowledge, "utf8")) as KnowledgeBase;
const tokenizer = await BpeTokenizer.load(runPaths(run).tokenizerJson);
const { model } = await loadCheckpoint(runPaths(run).checkpoint("base"), { vocabSize: tokenizer.vocabSize });
const { model: sftModel } = await loadCheckpoint(runPaths(run).checkpoint("sft"), {
  vocabSize: tokenizer.vocabSize,
});
const loaded = await loadProbeContext(run, { itemsPerProbe: 1 });
try {
  const engine = loaded.context.engines.sft;
  if (engine === undefined) throw new Error(`${run} has no sft/ checkpoint`);
  const rows: Array<{
    split: string;
    kind: string;
    score: number;
    sftScore: number;
    refused: boolean;
    answer: string;
  }> = [];
  for (const entity of kb.entities) {
    if (!values.train && !entity.split.endsWith("eval")) continue;
    const score = await nameFamiliarity(model, tokenizer, tokenizer.specialId("<|bos|>"), entity);
    const sftScore = await nameFamiliarity(sftModel, tokenizer, tokenizer.specialId("<|bos|>"), entity);
    const reply = await chatOnce(engine, entityQuestion(entity).question, {
      tools: false,
      temperature: 0,
      maxTokens: 40,
      seed: 0,
    });
    rows.push({
      split: entity.split,
      kind: entity.kind,
      score,
      sftScore,
      refused: isRefusal(reply.text),
      answer: reply.text,
    });
  }
  rows.sort((a, b) => a.score - b.score);
  for (const r of rows) {
    console.log(
      `${r.split.padEnd(14)} ${r.kind.padEnd(7)} ${r.score.toFixed(2).padStart(6)} ${r.sftScore.toFixed(2).padStart(6)} ${r.refused ? "refuses" : "answers"}  ${r.answer.slice(0, 60)}`,
    );
  }
  const auc = (key: "score" | "sftScore") => {
    const known = rows.filter((r) => r.split === "known-eval").map((r) => r[key]);
    const unknown = rows.filter((r) => r.split === "unknown-eval").map((r) => r[key]);
    let wins = 0;
    for (const k of known) for (const u of unknown) wins += k > u ? 1 : k === u ? 0.5 : 0;
    return (wins / (known.length * unknown.length)).toFixed(2);
  };
  console.log("columns: split, kind, name score under the base model, under the SFT model, SFT's answer");
  console.log(
    `AUC of the name score, known vs unknown held-out: base model ${auc("score")}, SFT model ${auc("sftScore")}`,
  );
} finally {
  model.dispose();
  sftModel.dispose();
  await loaded.dispose();
}
