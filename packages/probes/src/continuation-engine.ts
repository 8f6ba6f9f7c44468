/**
 * ContinuationEngine: a ChatEngine over a base model that has never seen the chat format. It
 * does what a base model does: the user's text (after <|bos|>, as in pretraining) is a document
 * prefix, and the "answer" is the model's continuation of it, with no chat template and no tools.
 * This is the contract's "base models are wrapped so that they continue raw text", which lets the
 * probes ask base and SFT models the same questions. Reference: "the base model is a document
 * completer" in "Deep Dive into LLMs like ChatGPT". Leaves out: multi-turn history (only the last
 * user message is continued) and tool calls.
 */
import type { ChatEngine, ChatEvent, ChatOptions, Message, TokenGenerator, Tokenizer } from "@llm/core";

export interface ContinuationEngineConfig {
  generator: TokenGenerator;
  tokenizer: Tokenizer;
  /** Start the prompt with <|bos|> when the tokenizer has it. Default true. */
  prependBos?: boolean;
}

export class ContinuationEngine implements ChatEngine {
  private readonly generator: TokenGenerator;
  private readonly tokenizer: Tokenizer;
  private readonly bos: number | undefined;

  constructor(config: ContinuationEngineConfig) {
    this.generator = config.generator;
    this.tokenizer = config.tokenizer;
    this.bos =
      (config.prependBos ?? true) && config.tokenizer.specialTokens.has("<|bos|>")
        ? config.tokenizer.specialId("<|bos|>")
        : undefined;
  }

  async *chat(messages: readonly Message[], options: ChatOptions = {}): AsyncIterable<ChatEvent> {
    const text = [...messages].reverse().find((m) => m.role === "user")?.content ?? "";
    const prompt = [...(this.bos === undefined ? [] : [this.bos]), ...this.tokenizer.encode(text)];
    // Any special token ends the document: a base model that emits one has left plain text.
    const stop = [...this.tokenizer.specialTokens.values()];
    const maxTokens = options.maxTokens ?? 64;
    const tokens: number[] = [];
    for await (const id of this.generator.generate(prompt, {
      maxTokens,
      temperature: options.temperature ?? 0,
      topK: options.topK ?? 0,
      seed: options.seed ?? 0,
      stop,
    })) {
      if (options.signal?.aborted) break;
      tokens.push(id);
      yield { type: "token", id, text: this.tokenizer.decode([id]) };
      if (tokens.length >= maxTokens) break;
    }
    const reason = options.signal?.aborted ? "aborted" : tokens.length >= maxTokens ? "length" : "stop";
    const content = this.tokenizer.decode(tokens);
    yield { type: "done", reason, messages: content === "" ? [] : [{ role: "assistant", content }], tokens };
  }
}
