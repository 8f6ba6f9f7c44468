/**
 * SftChatEngine: the ChatEngine of @llm/core over a GPT: renders the history with renderPrompt,
 * reuses the KV cache of an InferenceSession when the new prompt extends what the cache already
 * holds (multi-turn chats feed only the new turn), samples token by token, streams ChatEvents and
 * stops at <|assistant_end|>. When the model closes a tool call (<|python_end|>), the code between
 * <|python_start|> and <|python_end|> runs in the ToolSandbox; its result or error is forced into
 * the stream as <|output_start|>result<|output_end|> and generation continues; a cap limits tool
 * calls per turn. One chat runs at a time per engine (calls queue). `chatToolModes` answers one
 * history with tools off and on at once, decoding the part the two turns share once.
 * Reference: nanochat's engine.py (tool use state machine, forced tokens).
 * Leaves out: batched sampling of several answers (see InferenceSession.expand) and beam search.
 */
import type { ChatDoneEvent, ChatEngine, ChatEvent, ChatOptions, Message, Tokenizer } from "@llm/core";
import { LlmError, Rng, type RngState } from "@llm/core";
import { disposeSnapshot, type GPT, InferenceSession, type SessionSnapshot, sampleToken } from "@llm/model";
import { renderPrompt, renderPromptWithin, renderToolOutput } from "@llm/sft";
import { fitToolOutput } from "./fit-tool-output.js";
import { NumberCopyGuard } from "./number-copy-guard.js";
import { ToolCopyGuard } from "./tool-copy-guard.js";
import { ToolGrammarGuard } from "./tool-grammar-guard.js";
import { ToolLoopGuard, type ToolLoopGuardOptions } from "./tool-loop-guard.js";
import { MATH_FUNCTIONS, type ToolSandbox } from "./tool-sandbox.js";
import { WordStepGuard, type WordStepGuardMode } from "./word-step-guard.js";

export interface ChatEngineConfig {
  model: GPT;
  tokenizer: Tokenizer;
  /** Runs tool calls; without one, tool calls are answered with an error output. */
  sandbox?: ToolSandbox;
  /** Defaults for every chat call (each call's options win). */
  defaults?: SftChatOptions;
}

/** Default options of a chat turn. */
const defaultOptions = {
  /** New tokens per turn, forced tool output included. */
  maxTokens: 256,
  /** Sampling temperature; 0 is greedy. */
  temperature: 0,
  /** Top-k filter; 0 disables. */
  topK: 0,
  /** Sampling seed. */
  seed: 0,
  /** Run tool calls. */
  tools: true,
  /** Tool calls per turn before the turn ends with reason "tool_limit". */
  maxToolCalls: 4,
};

/** ChatOptions plus the sampling and stopping knobs SftChatEngine understands per call. */
export interface SftChatOptions extends ChatOptions {
  /** Nucleus (top-p) filter; 1 disables. */
  topP?: number;
  /**
   * Copy-constrained tool-call strings (ToolCopyGuard): inside a string literal of a tool call,
   * only tokens that keep it a substring of the user's messages (case ignored), or close it, can be
   * sampled; no copy loop (" bananananan...") or word the question lacks. Default false.
   */
  copyGuard?: boolean;
  /** With copyGuard: guard only tool calls of these functions (e.g. ["count"]). Default: every call. */
  copyGuardCalls?: readonly string[];
  /**
   * Copy-constrained word-counting steps (WordStepGuard): once a reply starts as steps
   * (" the 1 cat 2 ..."), each step word can only be a word of the user's messages ("word") or,
   * with "run", the words in order a contiguous run of them; numbers and the end stay free.
   * Default: off.
   */
  wordStepGuard?: WordStepGuardMode;
  /**
   * Copy-constrained numbers in tool calls of these functions (NumberCopyGuard, e.g.
   * ["Math.max", "Math.min"]): each number literal of the call is a copy of a number of the user's
   * messages, a different one while there are enough (no `Math.max(15.15, 15.09)` for 15.1 vs
   * 15.09). Like copyGuard, also in a call that does not run (tools off), so that chatToolModes'
   * two turns stay one until the call closes. Default: none.
   */
  numberGuardCalls?: readonly string[];
  /**
   * After a tool output, the number of the "####" answer line is a copy of a number of that
   * output (or of the user's number of the same value): no "#### 13.8" for an output 13.88
   * (NumberCopyGuard). Default false.
   */
  answerGuard?: boolean;
  /**
   * Repetition block (ToolLoopGuard): a token that would repeat one short piece more than twice
   * back to back (" V V V"; five times for one character that is no letter) is masked in a tool
   * call's code and in the reply's text, and a tool call's string of 40 characters can only close.
   * It stops loops without asking for a copy of the user's words. Default false.
   */
  loopGuard?: boolean;
  /** With loopGuard: its limits (LOOP_GUARD_DEFAULTS; scope "tool" leaves the reply's text alone). */
  loopGuardLimits?: ToolLoopGuardOptions;
  /**
   * Tool-call grammar (ToolGrammarGuard): a tool call's code can only be `name(arg, ...)` with
   * string or number literals as arguments, `name` one of the sandbox's tools (true: ToolSandbox
   * `tools`, i.e. count, search when it has documents, Math.max, ...; without a sandbox count and
   * the Math functions) or of the listed names; <|python_end|> only after the closing parenthesis.
   * Like copyGuard, also in a call that does not run (tools off). Default false.
   */
  toolGrammar?: boolean | readonly string[];
  /**
   * Tokens of the model's context kept free for the reply after a tool output: a longer output is
   * cut (fitToolOutput: "..." before its closing quotes and brackets) so that forcing it never
   * slides the conversation's start, the user's question, out of the window. The tool message,
   * the tool_output event and the answer guard all get the cut output, what the model read.
   * `false` forces every output whole (the window then slides past a long one). Default: a
   * quarter of the model's seqLen (32 of 128), the room fitContext keeps for a reply.
   */
  toolOutputRoom?: number | false;
}

/** What fitContext returns: the history that fits, and what it cost. */
export interface FittedContext {
  /** The messages to send: system messages and the newest exchanges that fit. */
  messages: Message[];
  /** How many messages (oldest first, system messages never) were left out to fit. */
  droppedMessages: number;
  /** Tokens of the rendered prompt. */
  promptTokens: number;
  /** Most prompt tokens this reply length allows (the model's context minus the reply's room). */
  budget: number;
}

/** fitContext's error: even the last exchange alone needs more tokens than the context allows. */
export class ContextOverflowError extends LlmError {
  constructor(
    /** Prompt tokens the last exchange needs on its own. */
    readonly neededTokens: number,
    /** Prompt tokens the context allows with room for the reply. */
    readonly budgetTokens: number,
  ) {
    super(
      "INVALID_INPUT",
      `The last message needs ${neededTokens} prompt tokens; the model's context holds ${budgetTokens} with room for the reply.`,
      {
        input: `${neededTokens} tokens`,
        hint: "Shorten the message (older turns are dropped on their own) or ask for a shorter reply.",
      },
    );
  }
}

/** What collectChat returns: the whole turn at once. */
export interface ChatTurn {
  /** The turn as text, tool calls and outputs included with their special tokens. */
  text: string;
  /** Messages to append to the history. */
  messages: Message[];
  tokens: number[];
  reason: Extract<ChatEvent, { type: "done" }>["reason"];
}

export class SftChatEngine implements ChatEngine {
  readonly model: GPT;
  readonly tokenizer: Tokenizer;
  private readonly sandbox: ToolSandbox | undefined;
  private readonly defaults: SftChatOptions;
  private readonly session: InferenceSession;
  /** Tokens the KV cache holds (undefined when unknown, e.g. after a context overflow). */
  private cached: number[] | undefined = [];
  /** Prompt tokens the last turn had to feed (the rest came from the KV cache). */
  lastPrefillTokens = 0;
  /** Whether the last prefill fed the whole prompt into an empty cache. */
  private prefilledWhole = true;
  private lock: Promise<void> = Promise.resolve();
  private readonly ids: Record<"assistantEnd" | "pythonStart" | "pythonEnd", number>;
  /** Built on the first turn with copyGuard (decodes every token once). */
  private guard: ToolCopyGuard | undefined;
  /** Built on the first turn with wordStepGuard. */
  private stepGuard: WordStepGuard | undefined;
  /** Built on the first turn with numberGuardCalls or answerGuard. */
  private numberGuard: NumberCopyGuard | undefined;
  /** Built on the first turn with loopGuard (decodes every token once). */
  private loopGuard: ToolLoopGuard | undefined;
  /** Built on the first turn with toolGrammar. */
  private grammar: ToolGrammarGuard | undefined;

  constructor(config: ChatEngineConfig) {
    this.model = config.model;
    this.tokenizer = config.tokenizer;
    this.sandbox = config.sandbox;
    this.defaults = config.defaults ?? {};
    if (config.tokenizer.vocabSize > config.model.config.vocabSize) {
      throw new LlmError("FILE_MISMATCH", "The tokenizer has more ids than the model's vocabulary.", {
        input: `tokenizer ${config.tokenizer.vocabSize}, model ${config.model.config.vocabSize}`,
        hint: "Chat with the tokenizer the model was trained with.",
      });
    }
    this.session = new InferenceSession(config.model);
    this.ids = {
      assistantEnd: config.tokenizer.specialId("<|assistant_end|>"),
      pythonStart: config.tokenizer.specialId("<|python_start|>"),
      pythonEnd: config.tokenizer.specialId("<|python_end|>"),
    };
  }

  /**
   * Empties the KV cache. Call it after changing the model's weights (e.g. between RL steps):
   * cached keys and values of the old weights would otherwise be reused for a shared prefix.
   */
  reset(): void {
    this.session.reset();
    this.cached = [];
  }

  /**
   * Fits a history into the model's context, keeping room for the reply: the prompt may use
   * seqLen - min(replyTokens, seqLen / 4) tokens (a longer reply slides the KV cache window, see
   * InferenceSession). Whole exchanges are dropped, oldest first; system messages stay. Throws a
   * ContextOverflowError (an LlmError INVALID_INPUT) when even the last exchange alone does not fit.
   */
  fitContext(messages: readonly Message[], replyTokens: number): FittedContext {
    const { seqLen } = this.model.config;
    const budget = seqLen - Math.min(Math.max(1, replyTokens), Math.floor(seqLen / 4));
    let rendered: ReturnType<typeof renderPromptWithin>;
    try {
      rendered = renderPromptWithin(messages, this.tokenizer, budget);
    } catch (error) {
      const needed = error instanceof LlmError ? /needs (\d+) tokens/.exec(error.message)?.[1] : undefined;
      if (needed === undefined) throw error;
      throw new ContextOverflowError(Number(needed), budget);
    }
    const { ids, droppedExchanges } = rendered;
    // Exchanges start at a user message that does not follow another user message.
    let kept = 0;
    let dropped = 0;
    let exchanges = 0;
    let previous: Message["role"] | undefined;
    const out: Message[] = [];
    for (const message of messages) {
      if (message.role === "system") {
        out.push(message);
        continue;
      }
      if (message.role === "user" && previous !== "user") exchanges++;
      previous = message.role;
      if (exchanges <= droppedExchanges) dropped++;
      else {
        out.push(message);
        kept++;
      }
    }
    return {
      messages: kept > 0 ? out : [...messages],
      droppedMessages: dropped,
      promptTokens: ids.length,
      budget,
    };
  }

  /** Frees the KV cache (the model stays). */
  dispose(): void {
    this.reset();
  }

  /** Feeds tokens, tracking what the cache holds; returns the last position's logits. */
  private feed(tokens: readonly number[]): Float32Array {
    const before = this.session.length;
    const logits = this.session.feed(tokens);
    if (this.cached !== undefined && this.session.length === before + tokens.length)
      this.cached.push(...tokens);
    else this.cached = undefined;
    return logits;
  }

  /** Feeds a prompt, reusing the cache when the prompt extends it. */
  private prefill(prompt: readonly number[]): Float32Array {
    const cached = this.cached;
    const reusable =
      cached !== undefined && cached.length < prompt.length && cached.every((id, i) => prompt[i] === id);
    this.prefilledWhole = !reusable;
    if (!reusable) {
      this.session.reset();
      this.cached = [];
      this.lastPrefillTokens = prompt.length;
      return this.feed(prompt);
    }
    this.lastPrefillTokens = prompt.length - cached.length;
    return this.feed(prompt.slice(cached.length));
  }

  /** Waits for the chats before this one; the returned function lets the next one run. */
  private async acquire(): Promise<() => void> {
    let release: () => void = () => {};
    const previous = this.lock;
    this.lock = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    return release;
  }

  async *chat(messages: readonly Message[], options: SftChatOptions = {}): AsyncIterable<ChatEvent> {
    const release = await this.acquire();
    try {
      yield* this.turn(messages, options);
    } finally {
      release();
    }
  }

  /**
   * The same turn answered twice, as `chat()` with tools off and then with tools on would answer
   * it (both calls' done events), decoding what the two share once. The two turns are the same
   * token for token until the model closes its first tool call: with tools off the call is not run
   * and decoding goes on; with tools on it runs and its output is forced into the stream. So the
   * tools-off turn copies the session's cache and its own state at that point and the tools-on
   * turn continues from the copy; a turn that closes no call is the same turn in both modes.
   * Greedy or seeded alike (the sampler's state is copied too).
   */
  async chatToolModes(
    messages: readonly Message[],
    options: SftChatOptions = {},
  ): Promise<{ off: ChatDoneEvent; on: ChatDoneEvent }> {
    const release = await this.acquire();
    let fork: TurnFork | undefined;
    try {
      const off = await lastEvent(
        this.turn(
          messages,
          { ...options, tools: false },
          {
            onCall: (f) => {
              fork = f;
            },
          },
        ),
      );
      // A tools-on chat() after this turn prefills the whole prompt (the cache now holds more than
      // it); when this turn reused a cached prefix instead, the two may differ in the last bits, so
      // the tools-on turn then runs on its own, as that call would.
      if (!this.prefilledWhole)
        return { off, on: await lastEvent(this.turn(messages, { ...options, tools: true })) };
      if (fork === undefined) return { off, on: structuredClone(off) };
      const on = await lastEvent(this.turn(messages, { ...options, tools: true }, { from: fork }));
      return { off, on };
    } finally {
      if (fork !== undefined) disposeSnapshot(fork.session);
      release();
    }
  }

  /**
   * A tool output cut to what fits in the context after the turn's question and what the turn has
   * produced so far (`produced`, the closed call's token included), with <|output_start|>,
   * <|output_end|> and `room` tokens left over. The question is the history's system messages
   * and its last user message on, as rendered (`<|bos|>` to `<|assistant_start|>`); older
   * exchanges of a long chat may still slide out, as fitContext would drop them.
   */
  private fitOutput(
    output: string,
    room: number | false | undefined,
    messages: readonly Message[],
    produced: number,
  ): string {
    if (room === false) return output;
    const { seqLen } = this.model.config;
    if (room !== undefined && !(Number.isInteger(room) && room >= 0 && room < seqLen)) {
      throw new LlmError(
        "INVALID_CONFIG",
        `toolOutputRoom must be an integer in [0, ${seqLen}), got ${room}.`,
        {
          input: `toolOutputRoom=${String(room)}`,
          hint: "Leave it out for a quarter of the context, pass a smaller number of tokens, or false.",
        },
      );
    }
    let last = messages.length - 1;
    while (last > 0 && messages[last]?.role !== "user") last--;
    const question = messages.filter((m, i) => m.role === "system" || i >= last);
    const asked = renderPrompt(question, this.tokenizer).length;
    const free = seqLen - asked - produced - 2 - (room ?? Math.floor(seqLen / 4));
    return fitToolOutput(output, Math.max(0, free), this.tokenizer);
  }

  /** A copy of the turn's state at its first closed tool call (`id`, not yet fed). */
  private forkAt(
    id: number,
    state: Omit<TurnFork, "id" | "session" | "cached" | "lastPrefillTokens">,
  ): TurnFork {
    return {
      id,
      produced: [...state.produced],
      out: structuredClone(state.out),
      current: structuredClone(state.current),
      toolCalls: state.toolCalls,
      rng: [...state.rng] as RngState,
      session: this.session.snapshot(),
      cached: this.cached === undefined ? undefined : [...this.cached],
      lastPrefillTokens: this.lastPrefillTokens,
    };
  }

  /**
   * One assistant turn. `hooks.onCall` receives a fork at the first tool call that closes;
   * `hooks.from` continues a fork (chatToolModes) instead of prefilling: the closed call is then
   * handled with this turn's options, as the forked turn would have handled it.
   */
  private async *turn(
    messages: readonly Message[],
    callOptions: SftChatOptions,
    hooks: { onCall?: (fork: TurnFork) => void; from?: TurnFork } = {},
  ): AsyncGenerator<ChatEvent> {
    const o = { ...defaultOptions, ...this.defaults, ...callOptions };
    const { tokenizer, ids } = this;
    const from = hooks.from;
    const rng = new Rng(o.seed);
    const sampling = { temperature: o.temperature, topK: o.topK, topP: o.topP ?? 1 };
    let logits: Float32Array;
    if (from === undefined) {
      const prompt = renderPrompt(messages, tokenizer, {
        maxTokens: Math.max(1, this.model.config.seqLen - 1),
      });
      logits = this.prefill(prompt);
    } else {
      this.session.restore(from.session);
      this.cached = from.cached === undefined ? undefined : [...from.cached];
      this.lastPrefillTokens = from.lastPrefillTokens;
      rng.setState([...from.rng] as RngState);
      logits = new Float32Array(0); // the closed call's token is fed below before any sampling
    }
    const produced: number[] = from ? [...from.produced] : [];
    const out: Message[] = from ? structuredClone(from.out) : [];
    let current: Message = from ? structuredClone(from.current) : { role: "assistant", content: "" };
    let segment: number[] = []; // ordinary ids of the current text or code segment
    let segmentText = "";
    let inCode = false;
    let toolCalls = from ? from.toolCalls : 0;
    let forked = false;
    let pending = from?.id; // a fork's closed call, handled first
    if (o.copyGuard && this.guard === undefined) this.guard = new ToolCopyGuard(tokenizer);
    const guard = o.copyGuard ? this.guard : undefined;
    const stepMode = o.wordStepGuard;
    if (stepMode && this.stepGuard === undefined) this.stepGuard = new WordStepGuard(tokenizer);
    const stepGuard = stepMode ? this.stepGuard : undefined;
    const numberCalls =
      o.numberGuardCalls !== undefined && o.numberGuardCalls.length > 0 ? o.numberGuardCalls : undefined;
    if ((numberCalls || o.answerGuard) && this.numberGuard === undefined)
      this.numberGuard = new NumberCopyGuard(tokenizer);
    const numberGuard = numberCalls || o.answerGuard ? this.numberGuard : undefined;
    if (o.loopGuard && this.loopGuard === undefined) this.loopGuard = new ToolLoopGuard(tokenizer);
    const loopGuard = o.loopGuard ? this.loopGuard : undefined;
    const grammarNames =
      o.toolGrammar === true
        ? (this.sandbox?.tools ?? ["count", ...MATH_FUNCTIONS])
        : Array.isArray(o.toolGrammar) && o.toolGrammar.length > 0
          ? (o.toolGrammar as readonly string[])
          : undefined;
    if (grammarNames && this.grammar === undefined) this.grammar = new ToolGrammarGuard(tokenizer);
    const grammar = grammarNames ? this.grammar : undefined;
    const anyGuard = guard || stepGuard || numberGuard || loopGuard || grammar;
    // the last tool output of this turn (the answer guard copies from it; a fork has none yet)
    let lastOutput: string | undefined;
    const userText = messages
      .filter((m) => m.role === "user")
      .map((m) => m.content)
      .join("\n");
    const flushText = () => {
      current.content += tokenizer.decode(segment);
      segment = [];
      segmentText = "";
    };
    const finish = (reason: ChatTurn["reason"]): ChatEvent => {
      if (inCode) current.content += tokenizer.decode([ids.pythonStart, ...segment]);
      else flushText();
      if (current.content !== "" || (current.toolCalls?.length ?? 0) > 0) out.push(current);
      return { type: "done", reason, messages: out, tokens: produced };
    };
    for (;;) {
      let id: number;
      let closed = false; // a tool call closed at this token
      if (pending !== undefined) {
        id = pending;
        pending = undefined;
        closed = true;
      } else {
        if (o.signal?.aborted) return yield finish("aborted");
        if (produced.length >= o.maxTokens) return yield finish("length");
        // the current segment's text, decoded once for every guard that reads it
        const sofar = anyGuard ? tokenizer.decode(segment) : "";
        if (guard && inCode) logits = guard.apply(logits, sofar, userText, o.copyGuardCalls);
        // word-counting steps: only in the turn's first text, before any tool call
        if (stepGuard && stepMode && !inCode && out.length === 0 && current.toolCalls === undefined)
          logits = stepGuard.apply(logits, sofar, userText, stepMode);
        if (numberGuard && inCode && numberCalls)
          logits = numberGuard.applyToCall(logits, sofar, userText, numberCalls);
        if (numberGuard && !inCode && o.answerGuard && lastOutput !== undefined)
          logits = numberGuard.applyToAnswer(logits, sofar, lastOutput, userText);
        // a well-formed call of a real tool; tokens masked above stay masked
        if (grammar && grammarNames && inCode) logits = grammar.apply(logits, sofar, grammarNames);
        // no loops, in the code and (scope "turn") the text; tokens masked above stay masked
        if (loopGuard) logits = loopGuard.apply(logits, sofar, inCode, o.loopGuardLimits);
        id = sampleToken(logits, sampling, rng);
        if (id === ids.assistantEnd) return yield finish("stop");
        produced.push(id);
        if (id === ids.pythonStart && !inCode) {
          yield { type: "token", id, text: tokenizer.decode([id]) };
          flushText();
          inCode = true;
        } else if (id === ids.pythonEnd && inCode) {
          yield { type: "token", id, text: tokenizer.decode([id]) };
          const code = tokenizer.decode(segment);
          segment = [];
          segmentText = "";
          inCode = false;
          current.toolCalls = [...(current.toolCalls ?? []), { code }];
          yield { type: "tool_call", code };
          closed = true;
          if (hooks.onCall && !forked) {
            forked = true;
            hooks.onCall(this.forkAt(id, { produced, out, current, toolCalls, rng: rng.getState() }));
          }
        } else {
          segment.push(id);
          // Stream the newly decodable text; hold back an incomplete UTF-8 sequence.
          const text = tokenizer.decode(segment);
          let delta = "";
          if (!text.endsWith("\uFFFD")) {
            delta = text.slice(segmentText.length);
            segmentText = text;
          }
          yield { type: "token", id, text: delta };
        }
      }
      if (closed && o.tools) {
        toolCalls++;
        if (toolCalls > o.maxToolCalls) return yield finish("tool_limit");
        const code = current.toolCalls?.at(-1)?.code ?? "";
        const ran = this.sandbox
          ? await this.sandbox.run(code)
          : { output: "Error: no tool sandbox is configured", isError: true };
        const result = {
          ...ran,
          output: this.fitOutput(ran.output, o.toolOutputRoom, messages, produced.length),
        };
        yield { type: "tool_output", output: result.output, isError: result.isError };
        lastOutput = result.isError ? undefined : result.output;
        out.push(current, {
          role: "tool",
          content: result.output,
          ...(result.isError ? { isError: true } : {}),
        });
        current = { role: "assistant", content: "" };
        const forced = renderToolOutput(result.output, tokenizer);
        produced.push(...forced);
        logits = this.feed([id, ...forced]);
        continue;
      }
      logits = this.feed([id]);
    }
  }
}

/** A turn's state at its first closed tool call (chatToolModes). */
interface TurnFork {
  /** The <|python_end|> id that closed the call, sampled and not yet fed. */
  id: number;
  produced: number[];
  out: Message[];
  current: Message;
  toolCalls: number;
  rng: RngState;
  session: SessionSnapshot;
  cached: number[] | undefined;
  lastPrefillTokens: number;
}

async function lastEvent(events: AsyncIterable<ChatEvent>): Promise<ChatDoneEvent> {
  for await (const event of events) if (event.type === "done") return event;
  throw new LlmError("RUN_ERROR", "The chat engine ended without a done event.", {
    hint: "This is a bug in the engine; report it with the messages that caused it.",
  });
}

/** Runs one chat turn to the end and returns it whole (for RL rollouts, probes and tests). */
export async function collectChat(
  engine: ChatEngine,
  messages: readonly Message[],
  options: ChatOptions = {},
  tokenizer?: Tokenizer,
): Promise<ChatTurn> {
  for await (const event of engine.chat(messages, options)) {
    if (event.type === "done") {
      const text = tokenizer ? tokenizer.decode(event.tokens) : turnText(event.messages);
      return { text, messages: event.messages, tokens: event.tokens, reason: event.reason };
    }
  }
  throw new LlmError("RUN_ERROR", "The chat engine ended without a done event.", {
    hint: "This is a bug in the engine; report it with the messages that caused it.",
  });
}

/** The text of a turn's messages in our format (tool calls and outputs with their special tokens). */
export function turnText(messages: readonly Message[]): string {
  let text = "";
  for (const m of messages) {
    if (m.role === "tool") text += `<|output_start|>${m.content}<|output_end|>`;
    else {
      text += m.content;
      for (const call of m.toolCalls ?? []) text += `<|python_start|>${call.code}<|python_end|>`;
    }
  }
  return text;
}
