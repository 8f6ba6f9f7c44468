/**
 * Writes the chat app's test fixture: a tiny run folder (tokenizer/tokenizer.json, sft/ checkpoint
 * and the pipeline's `_stages/` markers) with a GPT trained by our own code, so the server's tests
 * drive the real SftChatEngine instead of a scripted one. The model learns one answer, a long count
 * ("one two three ... ten, one two ...", 400 words), so whatever it is asked it writes for as many
 * tokens as a test allows (it has not learned to stop early). Seeded. Run:
 * `npx tsx --conditions=@llm/source apps/chat/scripts/make-tiny-run.ts` (about 40 s on a loaded
 * CPU core; STEPS=n changes the 250 steps). Leaves out: tool calls and short answers (the server's
 * tool rendering and stop handling are tested with a scripted engine).
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { type Message, runPaths } from "@llm/core";
import { ArrayBatchSource, GPT, initBackend, saveCheckpoint, train } from "@llm/model";
import { renderConversation } from "@llm/sft";
import { trainBpe } from "@llm/tokenizer";

export const TINY_RUN_DIR = new URL("../src/__fixtures__/tiny-run", import.meta.url).pathname;

const WORDS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
/** The long answer: the count repeated, ~ 400 tokens. */
export const LONG_ANSWER = Array.from({ length: 40 }, () => WORDS.join(" ")).join(", ");

function conversations(): Message[][] {
  const out: Message[][] = [];
  for (const prompt of ["count", "count please", "please count", "hi", "what can you do?"]) {
    out.push([
      { role: "user", content: prompt },
      { role: "assistant", content: LONG_ANSWER },
    ]);
  }
  return out;
}

async function main(): Promise<void> {
  await initBackend("wasm");
  const text = `${LONG_ANSWER}\ncount please hi what can you do?\n`.repeat(4);
  const tokenizer = await trainBpe(text, { vocabSize: 320 });
  const seqLen = 512;
  const ids: number[] = [];
  const mask: number[] = [];
  for (let repeat = 0; repeat < 8; repeat++) {
    for (const conversation of conversations()) {
      const rendered = renderConversation(conversation, tokenizer);
      ids.push(...rendered.ids);
      mask.push(...rendered.mask);
    }
  }
  const model = new GPT(
    { vocabSize: tokenizer.vocabSize, seqLen, nLayer: 1, nEmbd: 32, nHead: 2 },
    { seed: 7 },
  );
  const source = new ArrayBatchSource(ids, 4, 128, mask);
  const started = performance.now();
  const result = await train(model, source, {
    totalSteps: Number(process.env.STEPS ?? 250),
    lr: 1e-2,
    seed: 7,
  });
  const run = runPaths(TINY_RUN_DIR);
  await rm(run.root, { recursive: true, force: true });
  await tokenizer.save(run.tokenizerJson);
  await saveCheckpoint(run.checkpoint("sft"), { model });
  await mkdir(run.stages, { recursive: true });
  const now = new Date().toISOString();
  for (const stage of ["data", "tokenizer", "pretrain", "sft"] as const) {
    const marker = { stage, hash: "fixture", status: "done", startedAt: now, finishedAt: now, seconds: 0 };
    await writeFile(run.marker(stage), `${JSON.stringify(marker, null, 2)}\n`);
  }
  model.dispose();
  console.log(
    `${((performance.now() - started) / 1000).toFixed(1)} s; final loss ${result.losses[result.losses.length - 1]?.toFixed(3)}; wrote ${TINY_RUN_DIR}`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
