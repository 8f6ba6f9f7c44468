/**
 * Test doubles for the chat server's tests: a ChatEngine that follows a fixed script (so HTTP
 * behaviour can be asserted exactly) and a byte-level Tokenizer. The server's integration with the
 * real SFT engine is covered by load-run.test.ts.
 */
import type { ChatEngine, ChatEvent, ChatOptions, Message, Tokenizer } from "@llm/core";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class ByteTokenizer implements Tokenizer {
  readonly name = "bytes";
  readonly vocabSize = 256;
  readonly specialTokens = new Map<string, number>();
  encode(text: string): number[] {
    return [...encoder.encode(text)];
  }
  decode(ids: readonly number[]): string {
    return decoder.decode(Uint8Array.from(ids));
  }
  tokenBytes(id: number): Uint8Array {
    return Uint8Array.of(id);
  }
  specialId(token: string): number {
    throw new Error(`no special token ${token}`);
  }
}

/**
 * Answers "count ..." with a tool call; "unclosed ..." opens a tool call and runs out of tokens
 * inside its code; "fail ..." throws after its first token; "slow" waits 50 x `delayMs` per token;
 * anything else echoes.
 */
export class ScriptedEngine implements ChatEngine {
  calls = 0;
  constructor(private readonly delayMs = 2) {}

  async *chat(messages: readonly Message[], options: ChatOptions = {}): AsyncIterable<ChatEvent> {
    this.calls++;
    const last = messages[messages.length - 1]?.content ?? "";
    const maxTokens = options.maxTokens ?? 64;
    const tokens: number[] = [];
    let produced = 0;
    const emit = async function* (text: string, delay: number): AsyncGenerator<ChatEvent> {
      for (const piece of text.match(/\S+\s*|\s+/g) ?? []) {
        if (options.signal?.aborted || produced >= maxTokens) return;
        await new Promise((r) => setTimeout(r, delay));
        produced++;
        tokens.push(produced);
        yield { type: "token", id: produced, text: piece };
      }
    };
    const delay = last.startsWith("slow") ? this.delayMs * 50 : this.delayMs;
    if (last.startsWith("unclosed")) {
      yield* emit("Checking: ", delay);
      yield { type: "token", id: 900, text: "<|python_start|>" };
      for (const piece of ['"straw', "berry", '".split("r")']) {
        await new Promise((r) => setTimeout(r, delay));
        yield { type: "token", id: 902, text: piece };
      }
      const content = 'Checking: <|python_start|>"strawberry".split("r")';
      yield { type: "done", reason: "length", tokens, messages: [{ role: "assistant", content }] };
      return;
    }
    if (last.startsWith("fail")) {
      yield* emit("Partial ", delay);
      throw new Error("the engine broke");
    }
    if (last.includes("count") && options.tools !== false) {
      yield* emit("Let me count. ", delay);
      yield { type: "token", id: 900, text: "<|python_start|>" };
      const code = '"strawberry".split("r").length - 1';
      yield { type: "tool_call", code };
      yield { type: "token", id: 901, text: "<|python_end|>" };
      yield { type: "tool_output", output: "3", isError: false };
      yield* emit("There are 3 r's.", delay);
      yield {
        type: "done",
        reason: "stop",
        tokens,
        messages: [
          { role: "assistant", content: "Let me count. ", toolCalls: [{ code }] },
          { role: "tool", content: "3" },
          { role: "assistant", content: "There are 3 r's." },
        ],
      };
      return;
    }
    const reply = `You said: ${last}`;
    yield* emit(reply, delay);
    const reason = options.signal?.aborted ? "aborted" : produced >= maxTokens ? "length" : "stop";
    yield { type: "done", reason, tokens, messages: [{ role: "assistant", content: reply }] };
  }
}
