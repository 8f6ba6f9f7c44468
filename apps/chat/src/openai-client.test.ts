/**
 * OpenAI compatibility, checked with OpenAI's own npm client (`openai`) against the real server and
 * the real engine on the tiny fixture run (it counts "one two three ..."): models list and
 * retrieve, completions with and without streaming, stream_options.include_usage, system and
 * developer roles, text content parts, stop and top_p, and the errors a client sees (string codes,
 * the SDK's error classes): unknown model, context too long, function calling, image parts, 429 and
 * a stream that fails midway.
 */
import { resolve } from "node:path";
import { initBackend } from "@llm/model";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChatServer, type ChatServerOptions } from "./chat-server.js";
import { type LoadedRun, loadRun } from "./load-run.js";
import { FUNCTION_CALLING_MESSAGE } from "./openai.js";

const MODEL = "tiny-counter";
let run: LoadedRun;
const servers: ChatServer[] = [];
let client: OpenAI;

async function clientFor(options: Partial<ChatServerOptions> = {}): Promise<OpenAI> {
  const server = new ChatServer({
    engine: run.engine,
    tokenizer: run.tokenizer,
    staticDir: resolve(import.meta.dirname, "../public"),
    modelName: MODEL,
    ...options,
  });
  servers.push(server);
  const { port } = await server.listen(0, "127.0.0.1");
  return new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: "unused", maxRetries: 0 });
}

beforeAll(async () => {
  await initBackend("wasm");
  run = await loadRun(resolve(import.meta.dirname, "__fixtures__/tiny-run"));
  client = await clientFor();
});
afterAll(async () => {
  for (const server of servers) await server.close();
  await run?.dispose();
});

const user = (content: string) => ({ role: "user" as const, content });

describe("the official openai client", () => {
  it("lists and retrieves the model; an unknown one is a 404 model_not_found", async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual([MODEL]);
    const model = await client.models.retrieve(MODEL);
    expect(model).toMatchObject({ id: MODEL, object: "model", owned_by: "local" });
    expect(typeof model.created).toBe("number");
    const missing = await client.models.retrieve("gpt-4o").catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    expect((missing as InstanceType<typeof OpenAI.NotFoundError>).code).toBe("model_not_found");
    const create = await client.chat.completions
      .create({ model: "gpt-4o", messages: [user("count")] })
      .catch((e: unknown) => e);
    expect(create).toBeInstanceOf(OpenAI.NotFoundError);
    expect((create as InstanceType<typeof OpenAI.NotFoundError>).code).toBe("model_not_found");
  });

  it("completes with system and developer roles and text content parts", async () => {
    const completion = await client.chat.completions.create({
      model: MODEL,
      messages: [
        { role: "system", content: "You count." },
        { role: "developer", content: "Count from one." },
        {
          role: "user",
          content: [
            { type: "text", text: "count" },
            { type: "text", text: " please" },
          ],
        },
      ],
      max_tokens: 8,
      temperature: 0,
    });
    expect(completion.object).toBe("chat.completion");
    expect(completion.model).toBe(MODEL);
    expect(completion.choices[0]?.message.content).toMatch(/^one two three/);
    expect(completion.choices[0]?.finish_reason).toBe("length");
    expect(completion.usage?.completion_tokens).toBe(8);
  });

  it("streams, with a usage chunk when stream_options.include_usage is set", async () => {
    const stream = await client.chat.completions.create({
      model: MODEL,
      messages: [user("count")],
      max_tokens: 20,
      temperature: 0,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let finish: string | null | undefined;
    let usage: OpenAI.CompletionUsage | undefined | null;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) {
        usage = chunk.usage;
        expect(chunk.choices).toEqual([]);
      }
    }
    expect(text).toMatch(/^one two three four/);
    expect(finish).toBe("length");
    expect(chunks).toBeGreaterThan(10);
    expect(usage?.completion_tokens).toBe(20);
    expect(usage?.total_tokens).toBe((usage?.prompt_tokens ?? 0) + 20);
    // Without include_usage there is no usage chunk.
    const plain = await client.chat.completions.create({
      model: MODEL,
      messages: [user("count")],
      max_tokens: 3,
      stream: true,
    });
    for await (const chunk of plain) expect(chunk.usage ?? null).toBeNull();
  });

  it("honours stop sequences and top_p", async () => {
    const stopped = await client.chat.completions.create({
      model: MODEL,
      messages: [user("count")],
      max_tokens: 40,
      temperature: 0,
      stop: ["five", "nine"],
    });
    expect(stopped.choices[0]?.message.content).toBe("one two three four ");
    expect(stopped.choices[0]?.finish_reason).toBe("stop");
    const streamed = await client.chat.completions.create({
      model: MODEL,
      messages: [user("count")],
      max_tokens: 40,
      temperature: 0,
      stop: "three f",
      stream: true,
    });
    let text = "";
    for await (const chunk of streamed) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("one two ");
    const greedy = await client.chat.completions.create({
      model: MODEL,
      messages: [user("count")],
      max_tokens: 10,
      temperature: 0,
    });
    for (const seed of [1, 2, 3]) {
      const nucleus = await client.chat.completions.create({
        model: MODEL,
        messages: [user("count")],
        max_tokens: 10,
        temperature: 2,
        top_p: 0.000001,
        seed,
      });
      expect(nucleus.choices[0]?.message.content).toBe(greedy.choices[0]?.message.content);
    }
  });

  it("raises the SDK's errors with string codes", async () => {
    const tooLong = await client.chat.completions
      .create({ model: MODEL, messages: [user("one two three four five ".repeat(150))], max_tokens: 4 })
      .catch((e: unknown) => e);
    expect(tooLong).toBeInstanceOf(OpenAI.BadRequestError);
    expect(tooLong).toMatchObject({ status: 400, code: "context_length_exceeded", param: "messages" });

    const tools = await client.chat.completions
      .create({
        model: MODEL,
        messages: [user("count")],
        tools: [{ type: "function", function: { name: "count", parameters: { type: "object" } } }],
      })
      .catch((e: unknown) => e);
    expect(tools).toBeInstanceOf(OpenAI.BadRequestError);
    expect(tools).toMatchObject({ code: "unsupported_parameter", param: "tools" });
    expect((tools as Error).message).toContain(FUNCTION_CALLING_MESSAGE);

    const image = await client.chat.completions
      .create({
        model: MODEL,
        messages: [
          {
            role: "user",
            content: [{ type: "image_url", image_url: { url: "data:image/png;base64,AA==" } }],
          },
        ],
      })
      .catch((e: unknown) => e);
    expect(image).toBeInstanceOf(OpenAI.BadRequestError);
    expect((image as Error).message).toContain("only text parts");
  });

  it("gets 429 as RateLimitError and a stream that fails midway as an APIError", async () => {
    const busy = await clientFor({ concurrency: 1, maxQueued: 0 });
    const first = busy.chat.completions.create({ model: MODEL, messages: [user("count")], max_tokens: 200 });
    await new Promise((r) => setTimeout(r, 50));
    const refused = await busy.chat.completions
      .create({ model: MODEL, messages: [user("count")], max_tokens: 2 })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    expect((refused as InstanceType<typeof OpenAI.RateLimitError>).code).toBe("rate_limit_exceeded");
    expect((await first).choices[0]?.message.content).toMatch(/^one two/);

    // A time limit a quarter of what a whole 512-token reply takes on this machine now, so the
    // stream fails midway whether the machine is idle (~300 ms for the reply) or loaded.
    const whole = await clientFor();
    const t0 = performance.now();
    await whole.chat.completions.create({ model: MODEL, messages: [user("count")], max_tokens: 512 });
    const requestTimeoutMs = Math.max(20, Math.round((performance.now() - t0) / 4));
    const slow = await clientFor({ requestTimeoutMs });
    const stream = await slow.chat.completions.create({
      model: MODEL,
      messages: [user("count")],
      max_tokens: 512,
      stream: true,
    });
    let text = "";
    const failure = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    })().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).code).toBe("timeout");
    expect(text.length).toBeGreaterThan(0);
  });
});
