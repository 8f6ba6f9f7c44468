/**
 * eval-checkpoint: held-out accuracy of one checkpoint of a run, per task family, greedy, tools
 * on: the quick check used to choose the `small` preset (seconds, where the probes stage takes a
 * minute), e.g. on a copy of sft/ taken mid-training. Reads the run's tokenizer and its
 * eval/sft.json (written by the SFT stage) and prints "family: correct/total" with a few misses.
 * Run: cd apps/pipeline && node --import tsx --conditions=@llm/source experiments/eval-checkpoint.ts RUN [CHECKPOINT] [N]
 * (CHECKPOINT defaults to RUN/sft, N to 16 tasks per family).
 * Leaves out: the base-versus-SFT contrasts and the direct answers (the probes stage has them).
 */
import { readFile } from "node:fs/promises";
import { runPaths, type Task } from "@llm/core";
import { collectChat, readRunSearchDocuments, SftChatEngine, ToolSandbox } from "@llm/engine";
import { initBackend, loadCheckpoint } from "@llm/model";
import { taskReward } from "@llm/sft";
import { BpeTokenizer } from "@llm/tokenizer";

const [run, checkpointArg, countArg] = process.argv.slice(2);
if (run === undefined || run === "--help" || run === "-h") {
  console.log("Usage: eval-checkpoint.ts RUN [CHECKPOINT=RUN/sft] [N=16]");
  process.exit(run === undefined ? 1 : 0);
}
const checkpoint = checkpointArg ?? runPaths(run).checkpoint("sft");
const count = Number(countArg ?? 16);
await initBackend("wasm");
const tokenizer = await BpeTokenizer.load(runPaths(run).tokenizerJson);
const { model } = await loadCheckpoint(checkpoint, { vocabSize: tokenizer.vocabSize });
const documents = await readRunSearchDocuments(run);
const sandbox = await ToolSandbox.create(documents.length > 0 ? { search: { documents } } : {});
const engine = new SftChatEngine({ model, tokenizer, sandbox });
const sets = JSON.parse(await readFile(runPaths(run).evalSet("sft"), "utf8")) as Record<string, Task[]>;
try {
  for (const [family, tasks] of Object.entries(sets)) {
    let correct = 0;
    const misses: string[] = [];
    for (const task of tasks.slice(0, count)) {
      const messages = [{ role: "user" as const, content: task.prompt }];
      const turn = await collectChat(engine, messages, { maxTokens: 96, temperature: 0 }, tokenizer);
      const reward = taskReward(turn.text, task).reward;
      correct += reward;
      if (reward < 1 && misses.length < 3)
        misses.push(`${task.prompt} -> ${JSON.stringify(turn.text.slice(0, 120))}`);
    }
    console.log(`${family}: ${correct}/${Math.min(count, tasks.length)}`);
    for (const miss of misses) console.log(`    ${miss}`);
  }
} finally {
  await sandbox.close();
  model.dispose();
}
