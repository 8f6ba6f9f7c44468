/**
 * The chat app's HTTP server: a single-page UI, an OpenAI-compatible `/v1/chat/completions`
 * endpoint (JSON and SSE streaming), a token view API and run info, hardened with a body size
 * limit, a per-request token cap, a concurrency limit with a bounded queue, timeouts and safe
 * static serving. Errors are JSON `{ error: { message, type, param, code } }` with the right
 * status. Reference: the OpenAI Chat Completions API, nanochat's chat_web.
 * Leaves out: authentication (it binds to loopback by default) and TLS.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ChatEngine, Message, Tokenizer } from "@llm/core";
import {
  type CompletionRequest,
  chunk,
  completionResponse,
  finishReason,
  HttpError,
  parseCompletionRequest,
  type RequestLimits,
  type ToolExchange,
} from "./openai.js";
import { QueueFullError, RequestQueue } from "./request-queue.js";
import { readStaticFile } from "./static-files.js";
import { TextAssembler } from "./text-assembler.js";

export interface ChatServerOptions {
  engine: ChatEngine;
  /** Used for prompt token counts and the token view. */
  tokenizer: Tokenizer;
  /** Model name reported to clients. Default "llm-from-scratch". */
  modelName?: string;
  /** Shown on the page and at /api/info (run folder, stage, parameters, backend, ...). */
  info?: Record<string, unknown>;
  /** Folder with index.html and assets. */
  staticDir: string;
  /** Largest accepted request body in bytes. Default 64 KiB. */
  maxBodyBytes?: number;
  /** Generations running at once. Default 1 (one model, one CPU thread). */
  concurrency?: number;
  /** Requests waiting for a slot before new ones get 429. Default 64. */
  maxQueued?: number;
  /** Wall-clock limit of one completion, queue wait included. Default 120 s. */
  requestTimeoutMs?: number;
  /** Token limits per request. */
  limits?: Partial<RequestLimits>;
}

const DEFAULT_LIMITS: RequestLimits = {
  maxTokensCap: 512,
  defaultMaxTokens: 128,
  maxMessages: 64,
  maxMessageChars: 8000,
};

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
  });
  res.end(text);
}

function sendError(res: ServerResponse, error: HttpError): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  sendJson(res, error.status, {
    error: { message: error.message, type: error.type, param: error.param ?? null, code: error.status },
  });
}

async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const type = req.headers["content-type"] ?? "";
  if (!type.toLowerCase().startsWith("application/json")) {
    throw new HttpError(415, "invalid_request_error", "Send the body as application/json.");
  }
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > maxBytes) {
    throw new HttpError(413, "invalid_request_error", `The body is larger than ${maxBytes} bytes.`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const part of req) {
    size += (part as Buffer).length;
    if (size > maxBytes)
      throw new HttpError(413, "invalid_request_error", `The body is larger than ${maxBytes} bytes.`);
    chunks.push(part as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HttpError(400, "invalid_request_error", "The body is not valid JSON.");
  }
}

export class ChatServer {
  readonly server: Server;
  private readonly queue: RequestQueue;
  private readonly limits: RequestLimits;
  private readonly modelName: string;

  constructor(private readonly options: ChatServerOptions) {
    this.queue = new RequestQueue(options.concurrency ?? 1, options.maxQueued ?? 64);
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.modelName = options.modelName ?? "llm-from-scratch";
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        sendError(
          res,
          error instanceof HttpError
            ? error
            : new HttpError(500, "server_error", "Internal error while answering."),
        );
      });
    });
    this.server.requestTimeout = (options.requestTimeoutMs ?? 120_000) + 10_000;
  }

  /** Starts listening; resolves with the bound address. Host defaults to 127.0.0.1. */
  async listen(port = 0, host = "127.0.0.1"): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => resolve());
    });
    return this.server.address() as AddressInfo;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = url.pathname;
    if (path === "/v1/chat/completions") {
      if (req.method !== "POST")
        throw new HttpError(405, "invalid_request_error", "Use POST for chat completions.");
      const body = await readJsonBody(req, this.options.maxBodyBytes ?? 64 * 1024);
      const request = parseCompletionRequest(body, this.limits, this.modelName);
      await this.complete(res, request);
      return;
    }
    if (path === "/api/tokenize") {
      if (req.method !== "POST")
        throw new HttpError(405, "invalid_request_error", "Use POST for /api/tokenize.");
      const body = (await readJsonBody(req, this.options.maxBodyBytes ?? 64 * 1024)) as { text?: unknown };
      if (typeof body?.text !== "string")
        throw new HttpError(400, "invalid_request_error", "'text' must be a string.", "text");
      if (body.text.length > this.limits.maxMessageChars) {
        throw new HttpError(
          400,
          "invalid_request_error",
          `'text' is longer than ${this.limits.maxMessageChars} characters.`,
        );
      }
      sendJson(res, 200, { tokens: this.tokenize(body.text) });
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      throw new HttpError(405, "invalid_request_error", `${req.method} is not allowed on ${path}.`);
    }
    if (path === "/v1/models") {
      sendJson(res, 200, {
        object: "list",
        data: [{ id: this.modelName, object: "model", owned_by: "local" }],
      });
      return;
    }
    if (path === "/api/info") {
      sendJson(res, 200, {
        model: this.modelName,
        vocabSize: this.options.tokenizer.vocabSize,
        tokenizer: this.options.tokenizer.name,
        limits: this.limits,
        queue: { running: this.queue.running, queued: this.queue.queued },
        ...this.options.info,
      });
      return;
    }
    if (path === "/healthz") {
      sendJson(res, 200, { ok: true });
      return;
    }
    const file = await readStaticFile(this.options.staticDir, path === "/" ? "/index.html" : path);
    if (!file) throw new HttpError(404, "not_found_error", `Nothing at ${path}.`);
    res.writeHead(200, {
      "content-type": file.contentType,
      "content-length": file.body.length,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    });
    res.end(req.method === "HEAD" ? undefined : file.body);
  }

  private tokenize(text: string): Array<{ id: number; text: string }> {
    const tokenizer = this.options.tokenizer;
    const ids = tokenizer.encode(text, { allowedSpecial: "all" });
    return ids.map((id) => ({ id, text: tokenizer.decode([id]) }));
  }

  private promptTokens(messages: Message[]): number {
    let count = 0;
    for (const message of messages) count += this.options.tokenizer.encode(message.content).length + 2;
    return count + 1;
  }

  private async complete(res: ServerResponse, request: CompletionRequest): Promise<void> {
    const controller = new AbortController();
    const timeoutMs = this.options.requestTimeoutMs ?? 120_000;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onClose = () => {
      if (!res.writableEnded) controller.abort();
    };
    res.on("close", onClose);
    try {
      await this.queue.run(async () => {
        if (controller.signal.aborted) {
          throw new HttpError(504, "timeout_error", `The request waited longer than ${timeoutMs} ms.`);
        }
        await this.generate(res, request, controller.signal, () => timedOut);
      });
    } catch (error) {
      if (error instanceof QueueFullError) {
        throw new HttpError(429, "rate_limit_error", `${error.message} Retry in a few seconds.`);
      }
      throw error;
    } finally {
      clearTimeout(timer);
      res.off("close", onClose);
    }
  }

  private async generate(
    res: ServerResponse,
    request: CompletionRequest,
    signal: AbortSignal,
    timedOut: () => boolean,
  ): Promise<void> {
    const id = `chatcmpl-${randomUUID()}`;
    const created = Math.floor(Date.now() / 1000);
    const model = request.model;
    const assembler = new TextAssembler();
    const toolCalls: ToolExchange[] = [];
    let completionTokens = 0;
    let reason = "stop";
    const write = (payload: unknown) => res.write(`data: ${JSON.stringify(payload)}\n\n`);
    if (request.stream) {
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        connection: "keep-alive",
      });
      write(chunk(id, model, created, { role: "assistant", content: "" }, null));
    }
    const events = this.options.engine.chat(request.messages, {
      maxTokens: request.maxTokens,
      temperature: request.temperature,
      topK: request.topK,
      tools: request.tools,
      signal,
      ...(request.seed !== undefined ? { seed: request.seed } : {}),
    });
    for await (const event of events) {
      if (event.type === "token") {
        completionTokens++;
        const visible = assembler.push(event.text);
        if (visible && request.stream) write(chunk(id, model, created, { content: visible }, null));
      } else if (event.type === "tool_call") {
        toolCalls.push({ code: event.code, output: "", isError: false });
        if (request.stream) write(chunk(id, model, created, { x_tool_call: { code: event.code } }, null));
      } else if (event.type === "tool_output") {
        const last = toolCalls[toolCalls.length - 1];
        if (last) {
          last.output = event.output;
          last.isError = event.isError;
        }
        if (request.stream) {
          write(
            chunk(
              id,
              model,
              created,
              { x_tool_output: { output: event.output, is_error: event.isError } },
              null,
            ),
          );
        }
      } else if (event.type === "done") {
        reason = event.reason;
      }
    }
    if (timedOut() && !request.stream) {
      throw new HttpError(504, "timeout_error", "The completion took longer than the server's time limit.");
    }
    if (request.stream) {
      if (res.writableEnded || res.destroyed) return;
      write(chunk(id, model, created, {}, timedOut() ? "length" : finishReason(reason)));
      res.write("data: [DONE]\n\n");
      res.end();
      return;
    }
    sendJson(
      res,
      200,
      completionResponse({
        id,
        model,
        created,
        content: assembler.text,
        finishReason: finishReason(reason),
        promptTokens: this.promptTokens(request.messages),
        completionTokens,
        toolCalls,
      }),
    );
  }
}
