/**
 * Measures what streaming costs and buys: one ChatServer over a run (default the tiny test fixture;
 * `--run runs/small --stage sft` for a real one), a streamed completion of N tokens, and a /healthz
 * request sent 100 ms into it, with the server yielding to the event loop after every token and
 * without (the old behaviour). Prints time to headers, to the first content chunk and to the end,
 * socket reads, tokens/s and the /healthz latency. Run:
 * `npx tsx --conditions=@llm/source apps/chat/scripts/measure-streaming.ts [--run DIR] [--stage S] [--tokens N] [--backend B]`.
 * Leaves out: a worker-thread engine (see apps/chat/README.md, "Streaming").
 */
import { resolve } from "node:path";
import { parseCliOptions } from "@llm/core";
import { initBackend } from "@llm/model";
import { ChatServer } from "../src/chat-server.js";
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
await initBackend(values.backend as Parameters<typeof initBackend>[0]);
const run = await loadRun(resolve(values.run), values.stage as ChatStage);
const tokens = Number(values.tokens);

async function once(yieldBetweenTokens: boolean) {
  const server = new ChatServer({
    engine: run.engine,
    tokenizer: run.tokenizer,
    staticDir: new URL("../public", import.meta.url).pathname,
    yieldBetweenTokens,
    limits: { maxTokensCap: Math.max(512, tokens) },
  });
  const { port } = await server.listen(0);
  const url = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const health = new Promise<number>((done) =>
    setTimeout(() => {
      // Timed from when it was due: client and server share this process's event loop.
      void fetch(`${url}/healthz`).then(() => done(performance.now() - t0 - 100));
    }, 100),
  );
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      messages: [{ role: "user", content: "count" }],
      stream: true,
      max_tokens: tokens,
      temperature: 0,
    }),
  });
  const headers = performance.now() - t0;
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  let firstContent = 0;
  let reads = 0;
  let text = "";
  const decoder = new TextDecoder();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    reads++;
    text += decoder.decode(value, { stream: true });
    if (!firstContent && /"content":"[^"]/.test(text)) firstContent = performance.now() - t0;
  }
  const end = performance.now() - t0;
  const healthMs = await health;
  await server.close();
  return { headers, firstContent, end, reads, tokensPerSecond: (server.stats.tokens / end) * 1000, healthMs };
}

console.log(`run ${values.run} (${values.stage}), ${tokens} tokens, backend ${values.backend}`);
for (const yieldBetweenTokens of [false, true]) {
  for (let i = 0; i < Number(values.repeats); i++) {
    const r = await once(yieldBetweenTokens);
    console.log(
      `${yieldBetweenTokens ? "yield   " : "no yield"}  headers ${r.headers.toFixed(0)} ms  first content ${r.firstContent.toFixed(0)} ms  end ${r.end.toFixed(0)} ms  reads ${r.reads}  ${r.tokensPerSecond.toFixed(0)} tok/s  /healthz ${r.healthMs.toFixed(0)} ms`,
    );
  }
}
await run.dispose();
