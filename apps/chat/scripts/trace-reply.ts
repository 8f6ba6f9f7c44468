/**
 * Feeds a run's RL model one question and a given reply, token by token, and prints for each
 * reply token the model's five most likely next tokens with their probabilities (no guards, no
 * sampling): where a word-counting reply loses its place, and what it wanted instead. Found that
 * "Count the words in: the cat sat on the mat" stops after " the 1 cat 2" because the "at" of "cat"
 * is read as the "at" of "mat", the text's last word (docs/lab-notes/2026-12-03e-copy-rows-text.md).
 * Run: `node --import tsx --conditions=@llm/source apps/chat/scripts/trace-reply.ts RUN "QUESTION" "REPLY"`.
 * Leaves out: tool calls (the reply is fed as plain text), other stages than rl.
 */
import { runPaths } from "@llm/core";
import { InferenceSession, initBackend, loadCheckpoint } from "@llm/model";
import { renderPrompt } from "@llm/sft";
import { BpeTokenizer } from "@llm/tokenizer";

const [runDir, question, reply] = process.argv.slice(2);
if (!runDir || !question || reply === undefined) {
  console.error('Usage: trace-reply.ts RUN "QUESTION" "REPLY"');
  process.exit(2);
}
await initBackend("wasm", { syncReads: true });
const paths = runPaths(runDir);
const tok = await BpeTokenizer.load(paths.tokenizerJson);
const ck = await loadCheckpoint(paths.checkpoint("rl"));
const s = new InferenceSession(ck.model);
const prompt = renderPrompt([{ role: "user", content: question }], tok, {});
let logits = s.feed(prompt);
const ids = tok.encode(reply);
/** The five most likely next tokens and their probabilities. */
const show = (l: Float32Array) => {
  const m = Math.max(...l);
  let z = 0;
  for (const v of l) z += Math.exp(v - m);
  const idx = [...l.keys()].sort((a, b) => (l[b] as number) - (l[a] as number)).slice(0, 5);
  return idx
    .map((i) => `${JSON.stringify(tok.decode([i]))}:${(Math.exp((l[i] as number) - m) / z).toFixed(2)}`)
    .join(" ");
};
for (const id of ids) {
  console.log(`${JSON.stringify(tok.decode([id]))}\t<- ${show(logits)}`);
  logits = s.feed([id]);
}
console.log(`END\t<- ${show(logits)}`);
s.dispose();
ck.model.dispose();
