/**
 * The server over real sockets with the real SftChatEngine on a tiny trained model (the fixture of
 * scripts/make-tiny-run.ts, which counts "one two three ..." for as long as it may): tokens reach
 * the client as they are made, /healthz answers during a long generation, a disconnect and the time
 * limit stop the engine, the queue limit gives 429, and histories longer than the context are cut
 * or refused with OpenAI's error shape.
 */
import { resolve } from "node:path";
import { initBackend } from "@llm/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChatServer, type ChatServerOptions } from "./chat-server.js";
import { type LoadedRun, loadRun } from "./load-run.js";

// biome-ignore lint/suspicious/noExplicitAny: JSON bodies are checked field by field below.
type Json = any;

const TINY_RUN = resolve(import.meta.dirname, "__fixtures__/tiny-run");
const staticDir = resolve(import.meta.dirname, "../public");
let run: LoadedRun;
const servers: ChatServer[] = [];

beforeAll(async () => {
  await initBackend("wasm");
  run = await loadRun(TINY_RUN, "sft");
});
afterAll(async () => {
  for (const server of servers) await server.close();
  await run?.dispose();
});

async function start(options: Partial<ChatServerOptions> = {}): Promise<{ server: ChatServer; url: string }> {
  const server = new ChatServer({ engine: run.engine, tokenizer: run.tokenizer, staticDir, ...options });
  servers.push(server);
  const address = await server.listen(0, "127.0.0.1");
  return { server, url: `http://127.0.0.1:${address.port}` };
}

function complete(url: string, body: Record<string, unknown>, signal?: AbortSignal): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ messages: [{ role: "user", content: "count" }], temperature: 0, ...body }),
    ...(signal ? { signal } : {}),
  });
}

/** Reads an SSE body, timing every read; returns the data payloads and when each read came. */
async function readStream(res: Response, t0: number) {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const reads: number[] = [];
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    reads.push(performance.now() - t0);
    text += decoder.decode(value, { stream: true });
  }
  const events = text
    .split("\n\n")
    .filter((line) => line.startsWith("data: "))
    .map((line) => line.slice(6));
  return { events, reads, end: performance.now() - t0 };
}

/** A per-request time limit a quarter of what a whole 512-token reply takes now (at least 20 ms). */
async function limitInsideWholeReply(): Promise<number> {
  const { url } = await start();
  const t0 = performance.now();
  await (await complete(url, { max_tokens: 512 })).json();
  return Math.max(20, Math.round((performance.now() - t0) / 4));
}

const waitFor = async (check: () => boolean, ms = 3000) => {
  const until = performance.now() + ms;
  while (!check() && performance.now() < until) await new Promise((r) => setTimeout(r, 10));
  return check();
};

describe("streaming with the real engine", () => {
  it("sends tokens as they are made: the first content arrives long before the end", async () => {
    const { url } = await start();
    const t0 = performance.now();
    const res = await complete(url, { stream: true, max_tokens: 300 });
    const headersAt = performance.now() - t0;
    const { events, reads, end } = await readStream(res, t0);
    expect(events[events.length - 1]).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e) as Json);
    const content = chunks.map((c) => c.choices[0]?.delta?.content ?? "").join("");
    expect(content.startsWith("one two three four five")).toBe(true);
    expect(chunks[chunks.length - 1].choices[0].finish_reason).toBe("length");
    // Headers and the first tokens come at the start, the rest spread over many reads.
    expect(headersAt).toBeLessThan(end / 4);
    expect(reads[1] as number).toBeLessThan(end / 4);
    expect(reads.length).toBeGreaterThan(20);
  });

  it("answers /healthz and /api/info while a long generation runs", async () => {
    const { server, url } = await start();
    const t0 = performance.now();
    const res = await complete(url, { stream: true, max_tokens: 400 });
    const streamed = readStream(res, t0);
    await new Promise((r) => setTimeout(r, 100));
    const asked = performance.now();
    const health = await fetch(`${url}/healthz`);
    const healthMs = performance.now() - asked;
    expect(health.status).toBe(200);
    const info = (await (await fetch(`${url}/api/info`)).json()) as Json;
    const tokensThen = server.stats.tokens;
    expect(info.queue.running).toBe(1);
    const { end } = await streamed;
    expect(healthMs).toBeLessThan(250);
    // It was answered in the middle of the generation, not after it.
    expect(asked - t0 + healthMs).toBeLessThan(end);
    expect(tokensThen).toBeLessThan(400);
  });

  it("stops generating within a token or two of a client disconnect", async () => {
    const { server, url } = await start();
    const controller = new AbortController();
    const res = await complete(url, { stream: true, max_tokens: 500 }, controller.signal);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    await reader.read();
    controller.abort();
    expect(await waitFor(() => server.stats.aborted === 1)).toBe(true);
    const tokensAtAbort = server.stats.tokens;
    await new Promise((r) => setTimeout(r, 300));
    expect(server.stats.tokens).toBeLessThanOrEqual(tokensAtAbort + 2);
    expect(server.stats.tokens).toBeLessThan(500);
    // The engine is free at once: a one-token request does not wait for the abandoned one.
    const t0 = performance.now();
    const next = await complete(url, { max_tokens: 1 });
    expect(next.status).toBe(200);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it("stops a non-streamed generation when its client disconnects", async () => {
    const { server, url } = await start();
    const controller = new AbortController();
    const pending = complete(url, { max_tokens: 500 }, controller.signal).catch((e: unknown) => e);
    expect(await waitFor(() => server.stats.tokens > 5)).toBe(true);
    controller.abort();
    expect(await pending).toBeInstanceOf(Error);
    expect(await waitFor(() => server.stats.aborted === 1)).toBe(true);
    const tokensAtAbort = server.stats.tokens;
    await new Promise((r) => setTimeout(r, 300));
    expect(server.stats.tokens).toBe(tokensAtAbort);
    expect(tokensAtAbort).toBeLessThan(500);
  });

  it("holds the per-request time limit: 504 in JSON, an error event and [DONE] when streaming", async () => {
    // A limit well inside the time a whole 512-token reply takes on this machine now (an idle
    // machine makes the whole reply in about 300 ms, a loaded one in seconds).
    const { server, url } = await start({ requestTimeoutMs: await limitInsideWholeReply() });
    let t0 = performance.now();
    const res = await complete(url, { max_tokens: 512 });
    expect(res.status).toBe(504);
    const body = (await res.json()) as Json;
    expect(body.error).toMatchObject({ type: "timeout_error", code: "timeout" });
    expect(performance.now() - t0).toBeLessThan(1500);
    expect(server.stats.tokens).toBeLessThan(512);
    t0 = performance.now();
    const streamed = await readStream(await complete(url, { max_tokens: 512, stream: true }), t0);
    expect(streamed.events[streamed.events.length - 1]).toBe("[DONE]");
    const last = JSON.parse(streamed.events[streamed.events.length - 2] as string) as Json;
    expect(last.error.code).toBe("timeout");
    expect(streamed.end).toBeLessThan(1500);
    expect(server.stats.timedOut).toBe(2);
  });

  it("answers 429 past the queue limit while the first request is still generating", async () => {
    const { server, url } = await start({ concurrency: 1, maxQueued: 1 });
    const t0 = performance.now();
    const timed = (r: Response) => ({ status: r.status, at: performance.now() - t0 });
    const all = await Promise.all(
      Array.from({ length: 4 }, () => complete(url, { max_tokens: 150 }).then(timed)),
    );
    const ok = all.filter((r) => r.status === 200);
    const refused = all.filter((r) => r.status === 429);
    expect(ok.length).toBe(2);
    expect(refused.length).toBe(2);
    const firstDone = Math.min(...ok.map((r) => r.at));
    for (const r of refused) expect(r.at).toBeLessThan(firstDone);
    expect(server.stats.rejected).toBe(2);
  });
});

describe("context overflow with the real engine", () => {
  it("drops the oldest turns to fit and says so; refuses one message that cannot fit", async () => {
    const { url } = await start();
    const long = "one two three four five six seven eight nine ten ".repeat(12);
    const messages: Json[] = [{ role: "system", content: "You count." }];
    for (let i = 0; i < 6; i++)
      messages.push({ role: "user", content: long }, { role: "assistant", content: long });
    messages.push({ role: "user", content: "count" });
    const res = await complete(url, { messages, max_tokens: 4 });
    expect(res.status).toBe(200);
    const dropped = Number(res.headers.get("x-context-dropped-messages"));
    expect(dropped).toBeGreaterThan(0);
    const body = (await res.json()) as Json;
    expect(body.x_context.dropped_messages).toBe(dropped);
    expect(body.usage.prompt_tokens).toBeLessThanOrEqual(512);

    const streamed = await readStream(await complete(url, { messages, max_tokens: 4, stream: true }), 0);
    expect(JSON.parse(streamed.events[0] as string).choices[0].delta.x_context.dropped_messages).toBe(
      dropped,
    );

    const tooLong = { messages: [{ role: "user", content: long.repeat(5) }], max_tokens: 4 };
    for (const stream of [false, true]) {
      const refused = await complete(url, { ...tooLong, stream });
      expect(refused.status).toBe(400);
      const error = ((await refused.json()) as Json).error;
      expect(error).toMatchObject({
        type: "invalid_request_error",
        code: "context_length_exceeded",
        param: "messages",
      });
      expect(error.message).toMatch(/needs \d+ prompt tokens/);
    }
  });

  it("answers a history the engine cannot render with 400, not 500", async () => {
    const { url } = await start();
    const res = await complete(url, {
      messages: [
        { role: "assistant", content: "one two" },
        { role: "user", content: "count" },
      ],
    });
    expect(res.status).toBe(400);
    const error = ((await res.json()) as Json).error;
    expect(error).toMatchObject({ type: "invalid_request_error", code: "invalid_request" });
    expect(error.message).toContain("comes before any user message");
  });

  it("honours top_p: a tiny nucleus is greedy whatever the seed", async () => {
    const { url } = await start();
    const text = async (body: Record<string, unknown>) =>
      ((await (await complete(url, { max_tokens: 12, ...body })).json()) as Json).choices[0].message.content;
    const greedy = await text({ temperature: 0 });
    expect(await text({ temperature: 2, top_p: 0.000001, seed: 1 })).toBe(greedy);
    expect(await text({ temperature: 2, top_p: 0.000001, seed: 2 })).toBe(greedy);
    const wild = await Promise.all([1, 2, 3].map((seed) => text({ temperature: 2, top_k: 0, seed })));
    expect(wild.some((t) => t !== greedy)).toBe(true);
  });
});
