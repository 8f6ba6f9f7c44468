/**
 * Asks one question of a run's chat model many times, sampled as `pnpm chat` samples (its guards
 * from the run's probes config, temperature 0.7 by default, seeds 0..n-1), and prints each reply
 * and how many end on the expected "#### <answer>" line. For a chat defect seen in `pnpm chat`
 * ("how many words are in this sentence: I like green apples a lot" -> " he 1 chat 2 #### 2"),
 * measured over seeds instead of one sample. Run:
 * `node --import tsx --conditions=@llm/source apps/chat/scripts/sample-turns.ts RUN "QUESTION" ANSWER [N] [T]`.
 * Leaves out: several turns, tool-free modes.
 */
import { collectChat } from "@llm/engine";
import { initBackend } from "@llm/model";
import { loadRun } from "../src/load-run.js";

const [runDir, question, answer, nArg, tArg] = process.argv.slice(2);
if (!runDir || !question || !answer) {
  console.error('Usage: sample-turns.ts RUN "QUESTION" ANSWER [N=20] [T=0.7]');
  process.exit(2);
}
await initBackend("wasm", { syncReads: true });
const run = await loadRun(runDir, "rl");
const n = Number(nArg ?? 20);
const temperature = Number(tArg ?? 0.7);
let right = 0;
for (let seed = 0; seed < n; seed++) {
  const turn = await collectChat(run.engine, [{ role: "user", content: question }], {
    temperature,
    seed,
    maxTokens: 96,
  } as never);
  const ok = new RegExp(`####\\s*${answer}\\b`).test(turn.text);
  if (ok) right++;
  console.log(`${seed}${ok ? " ok" : ""}: ${JSON.stringify(turn.text)}`);
}
console.log(
  `word-step guard ${run.info.wordStepGuard}: ${right} of ${n} end on #### ${answer} (T ${temperature})`,
);
