/**
 * Validation and shaping of OpenAI-style chat completion requests and responses, so existing
 * clients (the openai SDKs, curl scripts) can talk to a trained run. Reference: the OpenAI
 * Chat Completions API (`/v1/chat/completions`, SSE chunks ending with `data: [DONE]`).
 * Leaves out: function-calling schemas (our tool runs server-side; its calls and outputs are
 * reported in the extension fields `x_tool_calls` and the `x_tool_call`/`x_tool_output` deltas),
 * n > 1, logprobs and images.
 */
import type { Message } from "@llm/core";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly param?: string,
  ) {
    super(message);
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

const ROLES = new Set(["system", "user", "assistant", "tool"]);

function bad(message: string, param?: string): HttpError {
  return new HttpError(400, "invalid_request_error", message, param);
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
    const { role, content } = raw as Record<string, unknown>;
    if (typeof role !== "string" || !ROLES.has(role)) {
      throw bad(`messages[${index}].role must be one of system, user, assistant, tool.`, "messages");
    }
    if (typeof content !== "string") throw bad(`messages[${index}].content must be a string.`, "messages");
    if (content.length > limits.maxMessageChars) {
      throw bad(
        `messages[${index}].content is longer than ${limits.maxMessageChars} characters.`,
        "messages",
      );
    }
    return { role: role as Message["role"], content };
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
  if (record.n !== undefined && record.n !== 1) throw bad("Only n = 1 is supported.", "n");
  return {
    messages,
    stream,
    maxTokens: Math.floor(maxTokens),
    temperature: numberField(record, "temperature", 0.7, 0, 2),
    topK: Math.floor(numberField(record, "top_k", 50, 0, 100_000)),
    seed: seedValue as number | undefined,
    tools,
    model: typeof record.model === "string" ? record.model : modelName,
  };
}

export interface ToolExchange {
  code: string;
  output: string;
  isError: boolean;
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
