/**
 * streamCompletion: one chat completion from the engine to the socket, as OpenAI's JSON response
 * or SSE chunks. It yields to the event loop after every token (so tokens reach the socket as
 * they are made and the server keeps answering other requests), stops at the abort signal (a
 * disconnect or the time limit: the engine checks it before each token), hides chat markup and
 * tool text (TextAssembler), applies `stop` (StopSequences), reports tool calls in extension
 * fields, shows an unclosed tool call as unfinished code (finish_reason "length") and ends a
 * failed stream with an error event and `[DONE]`. Reference: the OpenAI Chat Completions API
 * (chunks, stream_options.include_usage). Leaves out: queueing and time limits (ChatServer's).
 */
import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { ChatEngine } from "@llm/core";
import type { FittedContext } from "@llm/engine";
import { toHttpError } from "./http-json.js";
import {
  type CompletionRequest,
  chunk,
  completionResponse,
  finishReason,
  HttpError,
  type ToolExchange,
} from "./openai.js";
import { StopSequences } from "./stop-sequences.js";
import { TextAssembler } from "./text-assembler.js";

/** Lets sockets, timers and other requests run between two tokens. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** How an unclosed tool call shows in `content`, so a plain client never gets a blank reply. */
export function unfinishedToolCallText(code: string): string {
  return `\n[unfinished tool call: the reply ended before the code was closed]\n${code}`;
}

/** What the server has done since it started (GET /api/info, `stats`). */
export interface ServerStats {
  /** Completions answered to the end. */
  completed: number;
  /** Completions stopped because their client went away. */
  aborted: number;
  /** Completions stopped by requestTimeoutMs. */
  timedOut: number;
  /** Requests refused with 429. */
  rejected: number;
  /** Tokens generated, over all completions. */
  tokens: number;
}

export interface CompletionArgs {
  res: ServerResponse;
  request: CompletionRequest;
  /** The history fitted into the context (and what that dropped). */
  fitted: FittedContext;
  engine: ChatEngine;
  /** Aborted when the client leaves or the time limit passes. */
  signal: AbortSignal;
  /** Whether the abort came from the time limit. */
  timedOut: () => boolean;
  /** The time limit, for the error message. */
  timeoutMs: number;
  /** Counters to update. */
  stats: ServerStats;
  /** Yield to the event loop after every token. */
  yieldBetweenTokens: boolean;
}

export async function streamCompletion(args: CompletionArgs): Promise<void> {
  const { res, request, fitted, engine, signal, timedOut, timeoutMs, stats } = args;
  const id = `chatcmpl-${randomUUID()}`;
  const created = Math.floor(Date.now() / 1000);
  const model = request.model;
  const assembler = new TextAssembler();
  const stops = new StopSequences(request.stop);
  const toolCalls: ToolExchange[] = [];
  const visible: string[] = [];
  let completionTokens = 0;
  let reason = "stop";
  const gone = () => res.destroyed || res.writableEnded;
  const write = (payload: unknown) => {
    if (!gone()) res.write(`data: ${JSON.stringify(payload)}\n\n`);
  };
  const show = (text: string, extra: Record<string, unknown> = {}) => {
    if (text !== "") visible.push(text);
    if (request.stream && (text !== "" || Object.keys(extra).length > 0)) {
      write(chunk(id, model, created, { ...(text !== "" ? { content: text } : {}), ...extra }, null));
    }
  };
  const context = fitted.droppedMessages > 0 ? { dropped_messages: fitted.droppedMessages } : undefined;
  const headers = {
    "cache-control": "no-store",
    "x-context-dropped-messages": String(fitted.droppedMessages),
  };
  if (request.stream) {
    res.writeHead(200, {
      ...headers,
      "content-type": "text/event-stream; charset=utf-8",
      connection: "keep-alive",
    });
    write(
      chunk(
        id,
        model,
        created,
        { role: "assistant", content: "", ...(context ? { x_context: context } : {}) },
        null,
      ),
    );
  }
  let failure: HttpError | undefined;
  try {
    const events = engine.chat(fitted.messages, {
      maxTokens: request.maxTokens,
      temperature: request.temperature,
      topK: request.topK,
      topP: request.topP,
      tools: request.tools,
      signal,
      ...(request.seed !== undefined ? { seed: request.seed } : {}),
    } as Parameters<ChatEngine["chat"]>[1]);
    for await (const event of events) {
      if (event.type === "token") {
        completionTokens++;
        stats.tokens++;
        show(stops.push(assembler.push(event.text)));
        if (stops.stopped) {
          reason = "stop";
          break; // ends the engine's turn (its generator returns)
        }
      } else if (event.type === "tool_call") {
        toolCalls.push({ code: event.code, output: "", isError: false });
        show("", { x_tool_call: { code: event.code } });
      } else if (event.type === "tool_output") {
        const last = toolCalls[toolCalls.length - 1];
        if (last) {
          last.output = event.output;
          last.isError = event.isError;
        }
        show("", { x_tool_output: { output: event.output, is_error: event.isError } });
      } else if (event.type === "done") {
        reason = event.reason;
      }
      if (args.yieldBetweenTokens) await nextTurn();
    }
  } catch (error) {
    failure = toHttpError(error);
  }
  if (timedOut()) {
    stats.timedOut++;
    failure = new HttpError(
      504,
      "timeout_error",
      `The completion took longer than the server's time limit (${timeoutMs} ms).`,
    );
  } else if (reason === "aborted" && !failure) {
    stats.aborted++;
    return; // the client went away; nobody is listening
  }
  if (failure) {
    if (!request.stream) throw failure;
    write(failure.toJSON());
    if (!gone()) res.end("data: [DONE]\n\n");
    return;
  }
  show(stops.flush());
  const unfinished = stops.stopped ? undefined : assembler.unfinishedCode;
  if (unfinished !== undefined) {
    // The model opened a tool call and never closed it: show the partial code, marked.
    toolCalls.push({ code: unfinished, output: "", isError: false, unfinished: true });
    show(unfinishedToolCallText(unfinished), { x_tool_call: { code: unfinished, unfinished: true } });
    reason = "length";
  }
  stats.completed++;
  const finish = finishReason(reason);
  const usage = {
    prompt_tokens: fitted.promptTokens,
    completion_tokens: completionTokens,
    total_tokens: fitted.promptTokens + completionTokens,
  };
  if (request.stream) {
    write(chunk(id, model, created, {}, finish));
    if (request.includeUsage)
      write({ id, object: "chat.completion.chunk", created, model, choices: [], usage });
    if (!gone()) res.end("data: [DONE]\n\n");
    return;
  }
  const body = completionResponse({
    id,
    model,
    created,
    content: visible.join(""),
    finishReason: finish,
    promptTokens: fitted.promptTokens,
    completionTokens,
    toolCalls,
    droppedMessages: fitted.droppedMessages,
  });
  const text = JSON.stringify(body);
  res.writeHead(200, {
    ...headers,
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}
