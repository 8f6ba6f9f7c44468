/**
 * The chat app's HTTP server: a single-page UI, an OpenAI-compatible `/v1/chat/completions`
 * endpoint (JSON and SSE streaming), `/v1/models`, a token view API and run info, hardened with a
 * Host-header allow-list, a body size limit, a per-request token cap, a concurrency limit with a
 * bounded queue, a per-request time limit and safe static serving. Generation yields to the event
 * loop after every token, so tokens reach the socket as they are made, other requests (/healthz,
 * the queue's 429s) are answered meanwhile, and a disconnect or the time limit stops the engine
 * within a token. Histories longer than the model's context lose their oldest exchanges (reported
 * in `x_context` and the `x-context-dropped-messages` header); one that cannot fit gets 400
 * `context_length_exceeded`. Errors are JSON `{ error: { message, type, param, code } }` with a
 * string code, and a stream that fails after its headers ends with an error event and `[DONE]`.
 * Reference: the OpenAI Chat Completions API, nanochat's chat_web.
 * Leaves out: authentication (it binds to loopback by default), TLS and function calling.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ChatEngine, Message, Tokenizer } from "@llm/core";
import { ContextOverflowError, type FittedContext } from "@llm/engine";
import { HostAllowList } from "./host-allow-list.js";
import { readJsonBody, sendError, sendJson, toHttpError } from "./http-json.js";
import { type CompletionRequest, HttpError, parseCompletionRequest, type RequestLimits } from "./openai.js";
import { QueueAbortedError, QueueFullError, RequestQueue } from "./request-queue.js";
import { readStaticFile } from "./static-files.js";
import { type ServerStats, streamCompletion } from "./stream-completion.js";

export type { ServerStats } from "./stream-completion.js";
export { unfinishedToolCallText } from "./stream-completion.js";

/** An engine that can fit a history into its context (SftChatEngine can). */
interface ContextFitter {
  fitContext(messages: readonly Message[], replyTokens: number): FittedContext;
}

function canFit(engine: ChatEngine): engine is ChatEngine & ContextFitter {
  return typeof (engine as Partial<ContextFitter>).fitContext === "function";
}

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
  /**
   * Host-header names answered besides localhost, 127.0.0.1, [::1] and the address the server is
   * bound to (a port, if given, is ignored); other Host headers get 403 `host_not_allowed`.
   */
  allowedHosts?: readonly string[];
  /**
   * Yield to the event loop after every token (default true). Only `scripts/measure-streaming.ts`
   * turns it off, to measure what it costs; without it a generation blocks the whole server.
   */
  yieldBetweenTokens?: boolean;
}

const DEFAULT_LIMITS: RequestLimits = {
  maxTokensCap: 512,
  defaultMaxTokens: 128,
  maxMessages: 64,
  maxMessageChars: 8000,
};

export class ChatServer {
  readonly server: Server;
  private readonly queue: RequestQueue;
  private readonly limits: RequestLimits;
  private readonly modelName: string;
  private readonly hosts: HostAllowList;
  private readonly created = Math.floor(Date.now() / 1000);
  readonly stats: ServerStats = { completed: 0, aborted: 0, timedOut: 0, rejected: 0, tokens: 0 };

  constructor(private readonly options: ChatServerOptions) {
    this.queue = new RequestQueue(options.concurrency ?? 1, options.maxQueued ?? 64);
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.modelName = options.modelName ?? "llm-from-scratch";
    this.hosts = new HostAllowList();
    for (const name of options.allowedHosts ?? []) this.hosts.add(name);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => sendError(res, toHttpError(error)));
    });
    this.server.requestTimeout = (options.requestTimeoutMs ?? 120_000) + 10_000;
  }

  /** Starts listening; resolves with the bound address. Host defaults to 127.0.0.1. */
  async listen(port = 0, host = "127.0.0.1"): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => resolve());
    });
    if (host !== "0.0.0.0" && host !== "::") this.hosts.add(host);
    return this.server.address() as AddressInfo;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!this.hosts.allows(req.headers.host)) {
      throw new HttpError(
        403,
        "invalid_request_error",
        `Host '${req.headers.host ?? ""}' is not allowed (allowed: ${this.hosts.list.join(", ")}). Open the page through one of those, or start the server with --allow-host NAME.`,
        undefined,
        "host_not_allowed",
      );
    }
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
    const model = { id: this.modelName, object: "model", created: this.created, owned_by: "local" };
    if (path === "/v1/models") {
      sendJson(res, 200, { object: "list", data: [model] });
      return;
    }
    if (path.startsWith("/v1/models/")) {
      const id = decodeURIComponent(path.slice("/v1/models/".length));
      if (id !== this.modelName) {
        throw new HttpError(
          404,
          "invalid_request_error",
          `The model '${id}' does not exist; this server has '${this.modelName}'.`,
          "model",
          "model_not_found",
        );
      }
      sendJson(res, 200, model);
      return;
    }
    if (path === "/api/info") {
      sendJson(res, 200, {
        model: this.modelName,
        vocabSize: this.options.tokenizer.vocabSize,
        tokenizer: this.options.tokenizer.name,
        limits: this.limits,
        queue: { running: this.queue.running, queued: this.queue.queued },
        stats: this.stats,
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

  private promptTokens(messages: readonly Message[]): number {
    let count = 0;
    for (const message of messages) count += this.options.tokenizer.encode(message.content).length + 2;
    return count + 1;
  }

  /** The history to generate from: fitted into the context by the engine when it can. */
  private fit(request: CompletionRequest): FittedContext {
    const { engine } = this.options;
    if (!canFit(engine)) {
      return {
        messages: request.messages,
        droppedMessages: 0,
        promptTokens: this.promptTokens(request.messages),
        budget: Number.POSITIVE_INFINITY,
      };
    }
    try {
      return engine.fitContext(request.messages, request.maxTokens);
    } catch (error) {
      if (!(error instanceof ContextOverflowError)) throw error;
      throw new HttpError(
        400,
        "invalid_request_error",
        `The last message needs ${error.neededTokens} prompt tokens, but this model's context holds ${error.budgetTokens} with room for the reply. Shorten it or ask for fewer max_tokens (older messages are dropped on their own).`,
        "messages",
        "context_length_exceeded",
      );
    }
  }

  private async complete(res: ServerResponse, request: CompletionRequest): Promise<void> {
    const fitted = this.fit(request);
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
      await this.queue.run(
        () =>
          streamCompletion({
            res,
            request,
            fitted,
            engine: this.options.engine,
            signal: controller.signal,
            timedOut: () => timedOut,
            timeoutMs,
            stats: this.stats,
            yieldBetweenTokens: this.options.yieldBetweenTokens !== false,
          }),
        controller.signal,
      );
    } catch (error) {
      if (error instanceof QueueFullError) {
        this.stats.rejected++;
        throw new HttpError(
          429,
          "rate_limit_error",
          `${error.message} Retry in a few seconds.`,
          undefined,
          "rate_limit_exceeded",
        );
      }
      if (error instanceof QueueAbortedError) {
        if (!timedOut) {
          this.stats.aborted++;
          return; // the client left while waiting
        }
        this.stats.timedOut++;
        throw new HttpError(
          504,
          "timeout_error",
          `The request waited longer than ${timeoutMs} ms for a free slot.`,
        );
      }
      throw error;
    } finally {
      clearTimeout(timer);
      res.off("close", onClose);
    }
  }
}
