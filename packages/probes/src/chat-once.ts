/**
 * chatOnce: asks a ChatEngine one user question and collects its whole turn: the assistant's text,
 * its tool calls, the tool outputs, and the text written after the last tool output (where the
 * final answer is read from). Reference: nanochat's engine loop (tool output forced between
 * <|output_start|> and <|output_end|>). `chatOnceToolModes` asks the same question with tools off
 * and on (through the engine's chatToolModes when it has one, which decodes the part the two turns
 * share once; the replies are the same as two chatOnce calls). Leaves out: multi-turn conversations.
 */
import type { ChatDoneEvent, ChatEngine, ChatOptions, Message } from "@llm/core";

export interface ChatReply {
  /** The whole assistant turn as text, tool calls and outputs inline in the chat-format markers. */
  completion: string;
  /** What the assistant wrote itself, outside tool calls and tool outputs. */
  text: string;
  /** What the assistant wrote after the last tool output (all of `text` when no tool ran). */
  finalText: string;
  /** Code of every tool call the assistant made, whether it ran or not. */
  toolCalls: string[];
  /** Output of every tool call that ran. */
  toolOutputs: string[];
  /** Why the turn ended. */
  reason: "stop" | "length" | "tool_limit" | "aborted";
  /** Number of tokens generated this turn (tool output included). */
  tokens: number;
}

/** Renders the messages of one assistant turn as the completion text rewards and transcripts use. */
export function renderTurn(messages: readonly Message[]): ChatReply {
  let completion = "";
  let text = "";
  let finalText = "";
  const toolCalls: string[] = [];
  const toolOutputs: string[] = [];
  for (const message of messages) {
    if (message.role === "assistant") {
      completion += message.content;
      text += message.content;
      finalText += message.content;
      for (const call of message.toolCalls ?? []) {
        completion += `<|python_start|>${call.code}<|python_end|>`;
        toolCalls.push(call.code);
      }
    } else if (message.role === "tool") {
      completion += `<|output_start|>${message.content}<|output_end|>`;
      toolOutputs.push(message.content);
      finalText = "";
    }
  }
  return { completion, text, finalText, toolCalls, toolOutputs, reason: "stop", tokens: 0 };
}

/** Runs one user prompt through `engine` and returns the assistant's turn. */
export async function chatOnce(
  engine: ChatEngine,
  prompt: string,
  options: ChatOptions = {},
): Promise<ChatReply> {
  const history: Message[] = [{ role: "user", content: prompt }];
  for await (const event of engine.chat(history, options)) {
    if (event.type === "done") {
      return { ...renderTurn(event.messages), reason: event.reason, tokens: event.tokens.length };
    }
  }
  return { ...renderTurn([]), reason: "aborted" };
}

function replyOf(event: ChatDoneEvent): ChatReply {
  return { ...renderTurn(event.messages), reason: event.reason, tokens: event.tokens.length };
}

/**
 * The replies of chatOnce(engine, prompt, { ...options, tools: false }) and of the same call with
 * tools on, in one engine call when the engine implements chatToolModes.
 */
export async function chatOnceToolModes(
  engine: ChatEngine,
  prompt: string,
  options: ChatOptions = {},
): Promise<{ direct: ChatReply; tool: ChatReply }> {
  if (engine.chatToolModes === undefined) {
    return {
      direct: await chatOnce(engine, prompt, { ...options, tools: false }),
      tool: await chatOnce(engine, prompt, { ...options, tools: true }),
    };
  }
  const { off, on } = await engine.chatToolModes([{ role: "user", content: prompt }], options);
  return { direct: replyOf(off), tool: replyOf(on) };
}
