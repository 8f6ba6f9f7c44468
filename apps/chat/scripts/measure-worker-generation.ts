/**
 * Compares two ways of keeping the server responsive while the model generates: the same engine on
 * the main thread yielding to the event loop after every token (what ChatServer does), and the
 * engine in a worker thread posting each token (scripts/generation-worker.ts), and as a baseline the
 * engine on the main thread not yielding (the old server). For each: time to
 * the first token, to the end, tokens/s, and the worst event-loop delay seen by a 5 ms timer on the
 * main thread during the generation (what a /healthz request would wait at most), plus the worker's
 * start-up (loading a second copy of the model). Run:
 * `npx tsx --conditions=@llm/source apps/chat/scripts/measure-worker-generation.ts [--run DIR] [--tokens N]`.
 * Leaves out: HTTP (scripts/measure-streaming.ts measures the server end to end).
 */
import { resolve } from "node:path";
import { createWorker, parseCliOptions } from "@llm/core";
import { initBackend } from "@llm/model";
import { type ChatStage, loadRun } from "../src/load-run.js";

const { values } = parseCliOptions(
  process.argv.slice(2),
  {
    run: { type: "string", default: new URL("../src/__fixtures__/tiny-run", import.meta.url).pathname },
    stage: { type: "string", default: "sft" },
    tokens: { type: "string", default: "400" },
    backend: { type: "string", default: "wasm" },
    repeats: { type: "string", default: "3" },
  },
  { allowPositionals: false },
);
const runDir = resolve(values.run);
const maxTokens = Number(values.tokens);
const messages = [{ role: "user" as const, content: "count" }];

/** Runs `work` while a 5 ms interval records the main thread's worst lateness. */
async function withLagProbe<T>(work: () => Promise<T>): Promise<{ value: T; maxLagMs: number }> {
  let maxLagMs = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    maxLagMs = Math.max(maxLagMs, now - last - 5);
    last = now;
  }, 5);
  try {
    const value = await work();
    // The gap since the last firing counts too (a fully blocked loop never fires at all).
    return { value, maxLagMs: Math.max(maxLagMs, performance.now() - last - 5) };
  } finally {
    clearInterval(timer);
  }
}

await initBackend(values.backend as Parameters<typeof initBackend>[0]);
const run = await loadRun(runDir, values.stage as ChatStage);
const workerStarted = performance.now();
const worker = createWorker(new URL("./generation-worker.ts", import.meta.url), {
  workerData: { runDir, stage: values.stage, backend: values.backend },
});
await new Promise<void>((ready) => worker.on("message", (m: { ready?: boolean }) => m.ready && ready()));
const workerStartMs = performance.now() - workerStarted;

const line = (name: string, first: number, end: number, tokens: number, lag: number) =>
  console.log(
    `${name}  first token ${first.toFixed(0)} ms  end ${end.toFixed(0)} ms  ${((tokens / end) * 1000).toFixed(0)} tok/s  worst event-loop delay ${lag.toFixed(0)} ms`,
  );

console.log(`run ${runDir} (${values.stage}), ${maxTokens} tokens, backend ${values.backend}`);
console.log(`worker start-up (backend + model load): ${workerStartMs.toFixed(0)} ms`);
for (let i = 0; i < Number(values.repeats); i++) {
  const tb = performance.now();
  let firstB = 0;
  let tokensB = 0;
  const blocking = await withLagProbe(async () => {
    for await (const event of run.engine.chat(messages, { maxTokens, temperature: 0 })) {
      if (event.type === "token") {
        tokensB++;
        if (!firstB) firstB = performance.now() - tb;
      }
    }
  });
  line("main thread, blocking", firstB, performance.now() - tb, tokensB, blocking.maxLagMs);

  const t0 = performance.now();
  let first = 0;
  let tokens = 0;
  const { maxLagMs } = await withLagProbe(async () => {
    for await (const event of run.engine.chat(messages, { maxTokens, temperature: 0 })) {
      if (event.type === "token") {
        tokens++;
        if (!first) first = performance.now() - t0;
      }
      await new Promise<void>((next) => setImmediate(next));
    }
  });
  line("main thread, yielding", first, performance.now() - t0, tokens, maxLagMs);

  const t1 = performance.now();
  let firstW = 0;
  let tokensW = 0;
  const lagW = await withLagProbe(
    () =>
      new Promise<void>((done) => {
        const onMessage = (m: { token?: string; done?: boolean }) => {
          if (m.token !== undefined) {
            tokensW++;
            if (!firstW) firstW = performance.now() - t1;
          }
          if (m.done) {
            worker.off("message", onMessage);
            done();
          }
        };
        worker.on("message", onMessage);
        worker.postMessage({ messages, maxTokens });
      }),
  );
  line("worker thread        ", firstW, performance.now() - t1, tokensW, lagW.maxLagMs);
}
await worker.terminate();
await run.dispose();
