/**
 * Conversations, messages and tool calls: what SFT data, the chat engine, RL rollouts and the
 * chat app exchange. A tool call is code the assistant writes (between <|python_start|> and
 * <|python_end|>); its output comes back as a `tool` message (between <|output_start|> and
 * <|output_end|>) and the assistant's turn continues. Reference: nanochat's conversation dicts,
 * the OpenAI chat format. Leaves out: images and multi-modal parts.
 */

export type Role = "system" | "user" | "assistant" | "tool";

/** Code the assistant asks to run. Our sandbox runs JavaScript expressions (see @llm/engine). */
export interface ToolCall {
  /** The code as the model wrote it. */
  code: string;
}

export interface Message {
  role: Role;
  /** The text of the message. For `assistant` messages with tool calls, the text before the call. */
  content: string;
  /** Assistant only: tool calls made at the end of this message, in order. */
  toolCalls?: ToolCall[];
  /** Tool only: true when the tool failed and `content` is the error text. */
  isError?: boolean;
}

export interface Conversation {
  messages: Message[];
  /** Where it came from: "identity", "oasst2", "arithmetic", ... */
  source?: string;
  /** Free-form metadata (language, task answer, ...). */
  metadata?: Record<string, unknown>;
}

/**
 * What a chat engine streams while the assistant answers. `token` events report assistant text;
 * consumers should treat tokens whose text is a special token (e.g. "<|python_start|>") as markup,
 * and the tool call's code and output arrive whole in `tool_call` / `tool_output` events.
 */
export type ChatEvent =
  | { type: "token"; id: number; text: string }
  | { type: "tool_call"; code: string }
  | { type: "tool_output"; output: string; isError: boolean }
  | {
      type: "done";
      reason: "stop" | "length" | "tool_limit" | "aborted";
      /** The assistant (and tool) messages this turn produced, ready to append to the history. */
      messages: Message[];
      /** Every token id generated this turn, tool output included. */
      tokens: number[];
    };

export interface ChatOptions {
  maxTokens?: number;
  temperature?: number;
  topK?: number;
  seed?: number;
  /** Whether tool calls are run. Default true. */
  tools?: boolean;
  /** Cap on tool calls in one assistant turn. Default 4. */
  maxToolCalls?: number;
  signal?: AbortSignal;
}

/** A model you can talk to: implemented by @llm/engine's SftChatEngine, used by RL, probes and the chat app. */
export interface ChatEngine {
  chat(messages: readonly Message[], options?: ChatOptions): AsyncIterable<ChatEvent>;
  /**
   * Optional: the done events of `chat(messages, { ...options, tools: false })` and of the same
   * call with `tools: true`, computed together so that what the two turns share (everything
   * before the first tool call closes) is decoded once. Callers without it make the two calls.
   */
  chatToolModes?(
    messages: readonly Message[],
    options?: ChatOptions,
  ): Promise<{ off: ChatDoneEvent; on: ChatDoneEvent }>;
}

/** The last event of a chat turn. */
export type ChatDoneEvent = Extract<ChatEvent, { type: "done" }>;
