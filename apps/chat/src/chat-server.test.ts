import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ByteTokenizer, ScriptedEngine } from "./__fixtures__/scripted-engine.js";
import { ChatServer, unfinishedToolCallText } from "./chat-server.js";

// biome-ignore lint/suspicious/noExplicitAny: JSON bodies are checked field by field below.
const readJson = (res: Response): Promise<any> => res.json() as Promise<any>;

const staticDir = resolve(import.meta.dirname, "../public");
let server: ChatServer;
let base: string;
const engine = new ScriptedEngine();

beforeAll(async () => {
  server = new ChatServer({
    engine,
    tokenizer: new ByteTokenizer(),
    staticDir,
    maxBodyBytes: 4096,
    concurrency: 2,
    maxQueued: 30,
    requestTimeoutMs: 2000,
    limits: { maxTokensCap: 100 },
    info: { run: "runs/test", stage: "sft" },
  });
  const address = await server.listen(0, "127.0.0.1");
  base = `http://127.0.0.1:${address.port}`;
});
afterAll(async () => server.close());

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

describe("chat server API", () => {
  it("answers a chat completion in OpenAI's shape", async () => {
    const res = await post("/v1/chat/completions", { messages: [{ role: "user", content: "hello there" }] });
    expect(res.status).toBe(200);
    const body = await readJson(res);
    expect(body.object).toBe("chat.completion");
    expect(body.choices[0].message).toEqual({ role: "assistant", content: "You said: hello there" });
    expect(body.choices[0].finish_reason).toBe("stop");
    expect(body.usage.completion_tokens).toBe(4);
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + 4);
  });

  it("streams over SSE, with tool calls and outputs as extension deltas, ending with [DONE]", async () => {
    const res = await post("/v1/chat/completions", {
      messages: [{ role: "user", content: "count the r in strawberry" }],
      stream: true,
    });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const text = await res.text();
    const events = text
      .split("\n\n")
      .filter((l) => l.startsWith("data: "))
      .map((l) => l.slice(6));
    expect(events[events.length - 1]).toBe("[DONE]");
    const deltas = events.slice(0, -1).map((e) => JSON.parse(e).choices[0].delta);
    const content = deltas.map((d) => d.content ?? "").join("");
    expect(content).toBe("Let me count. There are 3 r's.");
    expect(content).not.toContain("<|");
    expect(deltas.find((d) => d.x_tool_call)?.x_tool_call.code).toContain("strawberry");
    expect(deltas.find((d) => d.x_tool_output)?.x_tool_output).toEqual({ output: "3", is_error: false });
    expect(JSON.parse(events[events.length - 2]!).choices[0].finish_reason).toBe("stop");
  });

  it("reports tool calls in non-streaming responses", async () => {
    const res = await post("/v1/chat/completions", { messages: [{ role: "user", content: "count please" }] });
    const body = await readJson(res);
    expect(body.x_tool_calls).toEqual([
      { code: '"strawberry".split("r").length - 1', output: "3", isError: false },
    ]);
  });

  it("caps tokens: max_tokens above the cap is refused, below it limits the reply", async () => {
    const over = await post("/v1/chat/completions", {
      messages: [{ role: "user", content: "x" }],
      max_tokens: 1000,
    });
    expect(over.status).toBe(400);
    expect((await readJson(over)).error.param).toBe("max_tokens");
    const short = await post("/v1/chat/completions", {
      messages: [{ role: "user", content: "one two three four five" }],
      max_tokens: 2,
    });
    const body = await readJson(short);
    expect(body.usage.completion_tokens).toBe(2);
    expect(body.choices[0].finish_reason).toBe("length");
  });

  it.each([
    ["not JSON", "{nope", 400, "not valid JSON"],
    ["no messages", { messages: [] }, 400, "messages"],
    ["bad role", { messages: [{ role: "robot", content: "x" }] }, 400, "role"],
    ["non-string content", { messages: [{ role: "user", content: 5 }] }, 400, "content"],
    ["assistant last", { messages: [{ role: "assistant", content: "x" }] }, 400, "last message"],
    ["bad temperature", { messages: [{ role: "user", content: "x" }], temperature: 9 }, 400, "temperature"],
    ["too large", { messages: [{ role: "user", content: "x".repeat(5000) }] }, 413, "larger than"],
  ])("rejects %s with a JSON error", async (_name, body, status, fragment) => {
    const res = await post("/v1/chat/completions", body);
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toContain("application/json");
    const json = await readJson(res);
    expect(json.error.message).toContain(fragment);
  });

  it("rejects wrong methods, content types and unknown paths", async () => {
    expect((await fetch(`${base}/v1/chat/completions`)).status).toBe(405);
    const wrongType = await post("/v1/chat/completions", "hi", { "content-type": "text/plain" });
    expect(wrongType.status).toBe(415);
    const missing = await fetch(`${base}/nope.html`);
    expect(missing.status).toBe(404);
    expect((await readJson(missing)).error.type).toBe("not_found_error");
  });

  it("serves the page and refuses path traversal", async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form id="composer">');
    for (const path of [
      "/..%2fpackage.json",
      "/%2e%2e/%2e%2e/package.json",
      "/../src/cli.ts",
      "/.%00/index.html",
      "/..\\package.json",
    ]) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(404);
    }
  });

  it("lists the model, shows info and tokenizes text", async () => {
    const models = await readJson(await fetch(`${base}/v1/models`));
    expect(models.data[0].id).toBe("llm-from-scratch");
    const info = await readJson(await fetch(`${base}/api/info`));
    expect(info).toMatchObject({ run: "runs/test", stage: "sft", vocabSize: 256 });
    const tokens = await readJson(await post("/api/tokenize", { text: "hi" }));
    expect(tokens.tokens).toEqual([
      { id: 104, text: "h" },
      { id: 105, text: "i" },
    ]);
  });

  it("completes 20 concurrent requests through the queue", async () => {
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        post("/v1/chat/completions", { messages: [{ role: "user", content: `request ${i}` }] }).then((r) =>
          readJson(r),
        ),
      ),
    );
    replies.forEach((reply, i) => {
      expect(reply.choices[0].message.content).toBe(`You said: request ${i}`);
    });
  });

  it("refuses with 429 when the queue is full", async () => {
    const small = new ChatServer({
      engine: new ScriptedEngine(),
      tokenizer: new ByteTokenizer(),
      staticDir,
      concurrency: 1,
      maxQueued: 1,
    });
    const address = await small.listen(0);
    const url = `http://127.0.0.1:${address.port}/v1/chat/completions`;
    const send = () =>
      fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ messages: [{ role: "user", content: "slow reply please" }] }),
      });
    const statuses = (await Promise.all([send(), send(), send()])).map((r) => r.status).sort();
    await small.close();
    expect(statuses).toEqual([200, 200, 429]);
  });

  it("times out a completion that runs too long", async () => {
    const quick = new ChatServer({
      engine: new ScriptedEngine(),
      tokenizer: new ByteTokenizer(),
      staticDir,
      requestTimeoutMs: 250,
    });
    const address = await quick.listen(0);
    const res = await fetch(`http://127.0.0.1:${address.port}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ role: "user", content: "slow one two three four five six" }] }),
    });
    await quick.close();
    expect(res.status).toBe(504);
    expect((await readJson(res)).error.type).toBe("timeout_error");
  });
});

describe("replies that go wrong", () => {
  it("shows an unclosed tool call as unfinished code with finish_reason length, never blank", async () => {
    const res = await post("/v1/chat/completions", {
      messages: [{ role: "user", content: "unclosed call" }],
    });
    const body = await readJson(res);
    expect(body.choices[0].finish_reason).toBe("length");
    expect(body.choices[0].message.content).toBe(
      `Checking: ${unfinishedToolCallText('"strawberry".split("r")')}`,
    );
    expect(body.x_tool_calls).toEqual([
      { code: '"strawberry".split("r")', output: "", isError: false, unfinished: true },
    ]);
    const streamed = await post("/v1/chat/completions", {
      messages: [{ role: "user", content: "unclosed call" }],
      stream: true,
    });
    const events = (await streamed.text())
      .split("\n\n")
      .filter((l) => l.startsWith("data: "))
      .map((l) => l.slice(6));
    expect(events[events.length - 1]).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
    const call = chunks.find((c) => c.choices[0].delta.x_tool_call)?.choices[0].delta;
    expect(call.x_tool_call).toEqual({ code: '"strawberry".split("r")', unfinished: true });
    expect(call.content).toContain("[unfinished tool call");
    expect(chunks[chunks.length - 1].choices[0].finish_reason).toBe("length");
  });

  it("ends a stream that fails after its headers with an error event and [DONE]", async () => {
    const res = await post("/v1/chat/completions", {
      messages: [{ role: "user", content: "fail now" }],
      stream: true,
    });
    expect(res.status).toBe(200);
    const events = (await res.text())
      .split("\n\n")
      .filter((l) => l.startsWith("data: "))
      .map((l) => l.slice(6));
    expect(events[events.length - 1]).toBe("[DONE]");
    const error = JSON.parse(events[events.length - 2] as string).error;
    expect(error).toMatchObject({ type: "server_error", code: "server_error" });
    expect(error.message).toContain("the engine broke");
    const json = await post("/v1/chat/completions", { messages: [{ role: "user", content: "fail now" }] });
    expect(json.status).toBe(500);
  });

  it("cuts the reply at a stop sequence, even one split across tokens, and never streams part of it", async () => {
    const res = await post("/v1/chat/completions", {
      messages: [{ role: "user", content: "alpha beta gamma delta" }],
      stop: ["gamma d", "zzz"],
    });
    const body = await readJson(res);
    expect(body.choices[0].message.content).toBe("You said: alpha beta ");
    expect(body.choices[0].finish_reason).toBe("stop");
    const streamed = await post("/v1/chat/completions", {
      messages: [{ role: "user", content: "alpha beta gamma delta" }],
      stop: "a g",
      stream: true,
    });
    const content = (await streamed.text())
      .split("\n\n")
      .filter((l) => l.startsWith("data: ") && !l.includes("[DONE]"))
      .map((l) => JSON.parse(l.slice(6)).choices[0].delta.content ?? "")
      .join("");
    expect(content).toBe("You said: alpha bet");
  });
});

describe("Host header allow-list", () => {
  it("answers loopback names and refuses others with 403 host_not_allowed", async () => {
    const { request } = await import("node:http");
    const port = new URL(base).port;
    const get = (host: string) =>
      new Promise<{ status: number; body: string }>((done, fail) => {
        const req = request({ host: "127.0.0.1", port, path: "/healthz", headers: { host } }, (res) => {
          let body = "";
          res.on("data", (d) => {
            body += d;
          });
          res.on("end", () => done({ status: res.statusCode ?? 0, body }));
        });
        req.on("error", fail);
        req.end();
      });
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      expect((await get(host)).status, host).toBe(200);
    }
    const refused = await get(`rebind.example:${port}`);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body).error.code).toBe("host_not_allowed");
    const allowedServer = new ChatServer({
      engine,
      tokenizer: new ByteTokenizer(),
      staticDir,
      allowedHosts: ["chat.lan"],
    });
    const address = await allowedServer.listen(0, "127.0.0.1");
    const other = await new Promise<number>((done) => {
      request(
        { host: "127.0.0.1", port: address.port, path: "/healthz", headers: { host: "chat.lan:1" } },
        (res) => done(res.statusCode ?? 0),
      ).end();
    });
    await allowedServer.close();
    expect(other).toBe(200);
  });
});
