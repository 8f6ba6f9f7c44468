/**
 * Validation and shaping of OpenAI-style chat completion requests and responses, so existing
 * clients (the openai SDKs, curl scripts) can talk to a trained run. Reference: the OpenAI
 * Chat Completions API (`/v1/chat/completions`, SSE chunks ending with `data: [DONE]`).
 * Accepted: the system, developer (read as system), user, assistant and tool roles; content as a
 * string or an array of text parts; max_tokens / max_completion_tokens, temperature, top_p, top_k,
 * stop (a string or up to 4), seed, stream and stream_options.include_usage.
 * Leaves out: function calling (`tools`, `functions`, `tool_choice`, `function_call` get 400
 * `unsupported_parameter`: our tool runs server-side; its calls and outputs are reported in the
 * extension fields `x_tool_calls` and the `x_tool_call`/`x_tool_output` deltas), n > 1, logprobs,
 * response_format and non-text content parts (images, audio, files).
 */
import type { Message } from "@llm/core";

/** The string `error.code` of each status when no more specific code applies. */
const STATUS_CODES: Record<number, string> = {
  400: "invalid_request",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  413: "request_too_large",
  415: "unsupported_media_type",
  429: "rate_limit_exceeded",
  500: "server_error",
  504: "timeout",
};

/** An error answered as `{ error: { message, type, param, code } }` with `status` (code is a string). */
export class HttpError extends Error {
  readonly code: string;
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly param?: string,
    code?: string,
  ) {
    super(message);
    this.code = code ?? STATUS_CODES[status] ?? "error";
  }

  /** The body OpenAI's clients read (`error.code` a string, as theirs). */
  toJSON(): { error: { message: string; type: string; param: string | null; code: string } } {
    return { error: { message: this.message, type: this.type, param: this.param ?? null, code: this.code } };
  }
}

export interface CompletionRequest {
  messages: Message[];
  stream: boolean;
  maxTokens: number;
  temperature: number;
  topK: number;
  seed: number | undefined;
  tools: boolean;
  model: string;
  /** Nucleus filter; 1 keeps every token. */
  topP: number;
  /** Strings that end the reply where they first appear (not included in it). */
  stop: string[];
  /** Send a last chunk with usage before [DONE] (stream_options.include_usage). */
  includeUsage: boolean;
}

export interface RequestLimits {
  /** Largest max_tokens a request may ask for; larger asks are refused with 400. */
  maxTokensCap: number;
  /** max_tokens when the request gives none. */
  defaultMaxTokens: number;
  /** Most messages in one request. */
  maxMessages: number;
  /** Most characters in one message. */
  maxMessageChars: number;
}

const ROLES = new Set(["system", "developer", "user", "assistant", "tool"]);

/** Request fields of OpenAI's function calling, which this server does not take. */
const FUNCTION_CALLING = ["tools", "functions", "tool_choice", "function_call", "parallel_tool_calls"];

export const FUNCTION_CALLING_MESSAGE =
  "Function calling is not supported: this model writes its own JavaScript tool calls, which the server runs and reports in x_tool_calls (JSON) or x_tool_call/x_tool_output deltas (SSE).";

function bad(message: string, param?: string, code?: string): HttpError {
  return new HttpError(400, "invalid_request_error", message, param, code ?? "invalid_value");
}

/** A message's content: a string, or an array of text parts joined (other part types refused). */
function contentText(content: unknown, index: number, role: string): string {
  if (typeof content === "string") return content;
  if ((content === null || content === undefined) && role === "assistant") return "";
  if (Array.isArray(content)) {
    return content
      .map((part, p) => {
        const record = (typeof part === "object" && part !== null ? part : {}) as Record<string, unknown>;
        if (record.type !== "text" || typeof record.text !== "string") {
          throw bad(
            `messages[${index}].content[${p}] is a ${String(record.type ?? typeof part)} part; only text parts ({ type: "text", text }) are supported.`,
            "messages",
          );
        }
        return record.text;
      })
      .join("");
  }
  throw bad(`messages[${index}].content must be a string or an array of text parts.`, "messages");
}

function numberField(
  body: Record<string, unknown>,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = body[name];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value)) throw bad(`'${name}' must be a number.`, name);
  if (value < min || value > max)
    throw bad(`'${name}' must be between ${min} and ${max}, got ${value}.`, name);
  return value;
}

/** Checks a parsed JSON body and returns a typed request, or throws HttpError 400 naming the field. */
export function parseCompletionRequest(
  body: unknown,
  limits: RequestLimits,
  modelName: string,
): CompletionRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw bad("The body must be a JSON object.");
  const record = body as Record<string, unknown>;
  if (record.model !== undefined && record.model !== modelName) {
    throw new HttpError(
      404,
      "invalid_request_error",
      `The model '${String(record.model)}' does not exist; this server has '${modelName}' (GET /v1/models).`,
      "model",
      "model_not_found",
    );
  }
  for (const field of FUNCTION_CALLING) {
    const value = record[field];
    const empty = value === undefined || value === null || (Array.isArray(value) && value.length === 0);
    if (!empty && !(field === "tool_choice" && value === "none")) {
      throw bad(FUNCTION_CALLING_MESSAGE, field, "unsupported_parameter");
    }
  }
  const rawMessages = record.messages;
  if (!Array.isArray(rawMessages) || rawMessages.length === 0) {
    throw bad("'messages' must be a non-empty array of {role, content}.", "messages");
  }
  if (rawMessages.length > limits.maxMessages) {
    throw bad(
      `'messages' has ${rawMessages.length} entries; the limit is ${limits.maxMessages}.`,
      "messages",
    );
  }
  const messages: Message[] = rawMessages.map((raw, index) => {
    if (typeof raw !== "object" || raw === null)
      throw bad(`messages[${index}] must be an object.`, "messages");
    const { role, content: rawContent, tool_calls: toolCalls } = raw as Record<string, unknown>;
    if (typeof role !== "string" || !ROLES.has(role)) {
      throw bad(
        `messages[${index}].role must be one of system, developer, user, assistant, tool.`,
        "messages",
      );
    }
    if (Array.isArray(toolCalls) && toolCalls.length > 0) {
      throw bad(FUNCTION_CALLING_MESSAGE, "messages", "unsupported_parameter");
    }
    const content = contentText(rawContent, index, role);
    if (content.length > limits.maxMessageChars) {
      throw bad(
        `messages[${index}].content is longer than ${limits.maxMessageChars} characters.`,
        "messages",
      );
    }
    return { role: (role === "developer" ? "system" : role) as Message["role"], content };
  });
  const last = messages[messages.length - 1];
  if (last?.role !== "user") throw bad("The last message must come from the user.", "messages");
  const stream = record.stream ?? false;
  if (typeof stream !== "boolean") throw bad("'stream' must be a boolean.", "stream");
  const tools = record.x_tools ?? true;
  if (typeof tools !== "boolean") throw bad("'x_tools' must be a boolean.", "x_tools");
  const maxTokens = numberField(
    record,
    record.max_completion_tokens !== undefined ? "max_completion_tokens" : "max_tokens",
    limits.defaultMaxTokens,
    1,
    limits.maxTokensCap,
  );
  const seedValue = record.seed;
  if (seedValue !== undefined && (typeof seedValue !== "number" || !Number.isInteger(seedValue))) {
    throw bad("'seed' must be an integer.", "seed");
  }
  if (record.n !== undefined && record.n !== null && record.n !== 1)
    throw bad("Only n = 1 is supported.", "n");
  const rawStop = record.stop ?? [];
  const stop = typeof rawStop === "string" ? [rawStop] : rawStop;
  if (!Array.isArray(stop) || stop.length > 4 || stop.some((s) => typeof s !== "string" || s === "")) {
    throw bad("'stop' must be a non-empty string or an array of up to 4 of them.", "stop");
  }
  const streamOptions = record.stream_options ?? {};
  if (typeof streamOptions !== "object" || streamOptions === null || Array.isArray(streamOptions)) {
    throw bad("'stream_options' must be an object.", "stream_options");
  }
  const includeUsage = (streamOptions as Record<string, unknown>).include_usage ?? false;
  if (typeof includeUsage !== "boolean")
    throw bad("'stream_options.include_usage' must be a boolean.", "stream_options");
  return {
    messages,
    stream,
    maxTokens: Math.floor(maxTokens),
    temperature: numberField(record, "temperature", 0.7, 0, 2),
    topK: Math.floor(numberField(record, "top_k", 50, 0, 100_000)),
    seed: seedValue as number | undefined,
    tools,
    model: modelName,
    // top_p 0 means "only the most likely token", which a tiny positive mass gives.
    topP: Math.max(numberField(record, "top_p", 1, 0, 1), 1e-9),
    stop: stop as string[],
    includeUsage,
  };
}

export interface ToolExchange {
  code: string;
  output: string;
  isError: boolean;
  /** The model never closed this call (the reply ended inside its code), so it did not run. */
  unfinished?: boolean;
}

export function completionResponse(args: {
  id: string;
  model: string;
  created: number;
  content: string;
  finishReason: string;
  promptTokens: number;
  completionTokens: number;
  toolCalls: ToolExchange[];
  /** Messages left out to fit the context (our extension), when any. */
  droppedMessages: number;
}) {
  return {
    id: args.id,
    object: "chat.completion",
    created: args.created,
    model: args.model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: args.content },
        finish_reason: args.finishReason,
      },
    ],
    usage: {
      prompt_tokens: args.promptTokens,
      completion_tokens: args.completionTokens,
      total_tokens: args.promptTokens + args.completionTokens,
    },
    x_tool_calls: args.toolCalls,
    ...(args.droppedMessages > 0 ? { x_context: { dropped_messages: args.droppedMessages } } : {}),
  };
}

export function chunk(
  id: string,
  model: string,
  created: number,
  delta: Record<string, unknown>,
  finish: string | null,
) {
  return {
    id,
    object: "chat.completion.chunk",
    created,
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  };
}

/** Maps our engine's stop reasons onto OpenAI finish reasons. */
export function finishReason(reason: string): string {
  return reason === "length" ? "length" : "stop";
}
