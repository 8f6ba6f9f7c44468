/**
 * ScriptedChatEngine: a ChatEngine that answers from a script instead of a model, for tests of
 * probes and of anything else that consumes a ChatEngine. A script maps the last user message (and
 * the chat options) to a reply; a reply may make one tool call whose output the script provides.
 * With `tools: false` the call is written but not run: no output comes back and the text after it
 * stays in the assistant's own words, as with a real engine. Reference: the mock providers of
 * vercel/ai's `ai/test`. Leaves out: sampling (a script may still branch on options.seed).
 */
import type { ChatEngine, ChatEvent, ChatOptions, Message } from "@llm/core";

/** One scripted assistant turn. */
export interface ScriptedTurn {
  /** Text before the tool call (or the whole answer when there is none). */
  text: string;
  /** An optional tool call and the output the tool would give. */
  toolCall?: { code: string; output: string; isError?: boolean };
  /** Text after the tool output. Default "". */
  after?: string;
  /** Why the turn ends. Default "stop". */
  reason?: "stop" | "length" | "tool_limit" | "aborted";
}

/** What the script sees for one call. */
export interface ScriptCall {
  /** The content of the last user message. */
  prompt: string;
  messages: readonly Message[];
  options: ChatOptions;
  /** 0-based count of calls made to this engine so far. */
  call: number;
}

export type ChatScript =
  | ((call: ScriptCall) => string | ScriptedTurn)
  | Record<string, string | ScriptedTurn>;

export class ScriptedChatEngine implements ChatEngine {
  /** Every prompt this engine was asked, in order. */
  readonly prompts: string[] = [];
  private readonly script: ChatScript;
  /** Reply for prompts a record script lacks; undefined makes them throw. */
  private readonly fallback: string | undefined;

  constructor(script: ChatScript, options: { fallback?: string } = {}) {
    this.script = script;
    this.fallback = options.fallback;
  }

  async *chat(messages: readonly Message[], options: ChatOptions = {}): AsyncIterable<ChatEvent> {
    const prompt = [...messages].reverse().find((m) => m.role === "user")?.content ?? "";
    const call = this.prompts.length;
    this.prompts.push(prompt);
    const raw =
      typeof this.script === "function"
        ? this.script({ prompt, messages, options, call })
        : (this.script[prompt] ?? this.fallback);
    if (raw === undefined)
      throw new Error(`ScriptedChatEngine has no reply for prompt ${JSON.stringify(prompt)}`);
    const turn: ScriptedTurn = typeof raw === "string" ? { text: raw } : raw;
    const tokens: number[] = [];
    const out: Message[] = [];
    const emit = function* (text: string): Generator<ChatEvent> {
      for (const ch of text) {
        const id = ch.codePointAt(0)!;
        tokens.push(id);
        yield { type: "token", id, text: ch };
      }
    };
    yield* emit(turn.text);
    const toolsOn = options.tools ?? true;
    if (turn.toolCall) {
      out.push({ role: "assistant", content: turn.text, toolCalls: [{ code: turn.toolCall.code }] });
      yield { type: "tool_call", code: turn.toolCall.code };
      if (toolsOn) {
        const isError = turn.toolCall.isError ?? false;
        yield* emit(turn.toolCall.output);
        yield { type: "tool_output", output: turn.toolCall.output, isError };
        out.push({ role: "tool", content: turn.toolCall.output, isError });
      }
      if (turn.after !== undefined && turn.after !== "") {
        yield* emit(turn.after);
        out.push({ role: "assistant", content: turn.after });
      }
    } else {
      out.push({ role: "assistant", content: turn.text + (turn.after ?? "") });
      if (turn.after) yield* emit(turn.after);
    }
    yield { type: "done", reason: turn.reason ?? "stop", messages: out, tokens };
  }
}
