/**
 * letter-eval: greedy letter counting with the tool on more held-out words than the probe asks
 * (which asks 32, where one word is 3 points), for the SFT and RL models of a run, scored as the
 * letter-counting probe scores (the answer after the last tool output), with the misses sorted
 * by kind: a call whose code never closed (the word miscopied into a loop), a call that ran on a
 * miscopied word, a call on the right word with a wrong answer after it, no call. The words are
 * the SFT stage's held-out ones (its evalSets with more items; the first 32 are the probe's).
 * The "150 held-out words" figures of the README were measured with it.
 * Run: cd apps/pipeline && node --import tsx --conditions=@llm/source experiments/letter-eval.ts RUN [--words 150] [--misses]
 * Leaves out: direct answers and the base model (the probes stage has them).
 */
import { readFile } from "node:fs/promises";
import { parseCliOptions, runPaths } from "@llm/core";
import { initBackend } from "@llm/model";
import { answerMatches, chatOnce, loadProbeContext } from "@llm/probes";
import type { PipelineConfig } from "../src/pipeline-config.js";
import { RunDir } from "../src/run-dir.js";
import { letterWords } from "../src/stages/letter-words.js";
import { loadKnowledgeBase } from "../src/stages/load-knowledge-base.js";
import { evalSets } from "../src/stages/sft-data.js";

const { values, positionals } = parseCliOptions(process.argv.slice(2), {
  words: { type: "string", default: "150" },
  misses: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
});
const run = positionals[0];
if (run === undefined || values.help) {
  console.log(
    "Usage: letter-eval.ts RUN [--words 150] [--misses]\n" +
      "RUN: a pipeline run folder with sft/ (and rl/) checkpoints and data/letter-words.json. --misses prints each miss.",
  );
  process.exit(run === undefined && !values.help ? 1 : 0);
}
const { preset: config } = JSON.parse(await readFile(runPaths(run).config, "utf8")) as {
  preset: PipelineConfig;
};
// the SFT stage's held-out sets with more items per probe: the same words, the probe's first
const runDir = new RunDir(run);
const tasks = evalSets(
  { ...config, probes: { ...config.probes, itemsPerProbe: Number(values.words) } },
  await loadKnowledgeBase(runDir),
  await letterWords(runDir, config),
).letterCount;
await initBackend("wasm");
const loaded = await loadProbeContext(run, { itemsPerProbe: 1 });
try {
  for (const stage of ["sft", "rl"] as const) {
    const engine = loaded.context.engines[stage];
    if (engine === undefined) continue;
    const misses = { unclosed: 0, miscopied: 0, wrongAfterCall: 0, noCall: 0 };
    let correct = 0;
    for (const task of tasks) {
      const reply = await chatOnce(engine, task.prompt, {
        tools: true,
        temperature: 0,
        maxTokens: 256,
        seed: 0,
      });
      if (answerMatches(reply.finalText, task.answer)) {
        correct++;
        continue;
      }
      const word = String(task.metadata?.word);
      const kind = reply.text.includes("<|python_start|>")
        ? "unclosed"
        : reply.toolCalls.length === 0
          ? "noCall"
          : reply.toolCalls[0]?.startsWith(`"${word}"`)
            ? "wrongAfterCall"
            : "miscopied";
      misses[kind]++;
      if (values.misses)
        console.log(`  ${stage} ${kind}: ${task.prompt} -> ${reply.completion.slice(0, 100)}`);
    }
    console.log(
      JSON.stringify({
        stage,
        words: tasks.length,
        accuracy: Number((correct / tasks.length).toFixed(3)),
        misses,
      }),
    );
  }
} finally {
  await loaded.dispose();
}
