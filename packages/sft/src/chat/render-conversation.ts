/**
 * renderConversation / renderPrompt: turn a Conversation into token ids plus a loss mask in our
 * chat format (architecture.md, "Chat format and tools"):
 *
 *   <|bos|><|user_start|>[system\n\n]user<|user_end|><|assistant_start|>text
 *   <|python_start|>code<|python_end|><|output_start|>output<|output_end|>more text<|assistant_end|>...
 *
 * mask[i] = 1 when token i is written by the assistant (its text, its tool calls and their
 * delimiters, its <|assistant_end|>), 0 for <|bos|>, user turns, <|assistant_start|> and tool
 * output (<|output_start|>...<|output_end|>, which the engine forces). A tool message renders
 * inside the assistant turn it belongs to. System messages are joined and prepended to the first
 * user turn that survives truncation. Truncation drops whole exchanges (user turn + assistant turn)
 * from the start and never cuts inside the last one; when even that does not fit, it throws.
 * Reference: nanochat's render_conversation, TRL's assistant-only loss.
 * Leaves out: images, named tools (our one tool is the JavaScript sandbox), per-token weights.
 */
import type { Message, Tokenizer } from "@llm/core";
import { LlmError } from "@llm/core";

export interface RenderOptions {
  /** Maximum number of ids, <|bos|> included. Default: unlimited. */
  maxTokens?: number;
  /**
   * What to do when the conversation is longer than maxTokens. "drop-oldest" (default) removes
   * whole exchanges from the start, keeping the system text; "error" throws at once.
   */
  truncation?: "drop-oldest" | "error";
}

export interface RenderedConversation {
  ids: number[];
  /** Same length as ids: 1 where the assistant wrote the token (it is trained on), else 0. */
  mask: number[];
  /** How many leading exchanges truncation dropped. */
  droppedExchanges: number;
}

interface Piece {
  ids: number[];
  mask: number[];
}

/** One user turn and the assistant turn (messages) answering it; `assistant` null when unanswered. */
interface Exchange {
  user: string;
  assistant: Message[] | null;
}

function specials(tokenizer: Tokenizer) {
  return {
    bos: tokenizer.specialId("<|bos|>"),
    userStart: tokenizer.specialId("<|user_start|>"),
    userEnd: tokenizer.specialId("<|user_end|>"),
    assistantStart: tokenizer.specialId("<|assistant_start|>"),
    assistantEnd: tokenizer.specialId("<|assistant_end|>"),
    pythonStart: tokenizer.specialId("<|python_start|>"),
    pythonEnd: tokenizer.specialId("<|python_end|>"),
    outputStart: tokenizer.specialId("<|output_start|>"),
    outputEnd: tokenizer.specialId("<|output_end|>"),
  };
}

/** Splits messages into the system text and user/assistant exchanges; validates the order. */
function toExchanges(messages: readonly Message[]): { system: string; exchanges: Exchange[] } {
  const systemParts: string[] = [];
  const exchanges: Exchange[] = [];
  messages.forEach((message, index) => {
    const last = exchanges[exchanges.length - 1];
    switch (message.role) {
      case "system":
        systemParts.push(message.content);
        break;
      case "user":
        if (last && last.assistant === null) last.user += `\n\n${message.content}`;
        else exchanges.push({ user: message.content, assistant: null });
        break;
      case "assistant":
      case "tool":
        if (!last) {
          throw new LlmError(
            "INVALID_INPUT",
            `Message ${index} (${message.role}) comes before any user message.`,
            {
              input: `messages[${index}]`,
              hint: "Start a conversation with a user message (system messages may come first).",
            },
          );
        }
        if (message.role === "tool" && last.assistant === null) {
          throw new LlmError(
            "INVALID_INPUT",
            `Tool message ${index} does not follow an assistant tool call.`,
            {
              input: `messages[${index}]`,
              hint: "Put each tool message right after the assistant message whose toolCalls produced it.",
            },
          );
        }
        if (last.assistant === null) last.assistant = [];
        last.assistant.push(message);
        break;
      default:
        throw new LlmError("INVALID_INPUT", `Message ${index} has an unknown role.`, {
          input: String((message as { role: unknown }).role),
          hint: "Use one of system, user, assistant, tool.",
        });
    }
  });
  return { system: systemParts.join("\n\n"), exchanges };
}

function renderExchange(
  exchange: Exchange,
  system: string,
  tokenizer: Tokenizer,
  s: ReturnType<typeof specials>,
  open: boolean,
): Piece {
  const ids: number[] = [];
  const mask: number[] = [];
  const push = (more: readonly number[], m: number) => {
    for (const id of more) {
      ids.push(id);
      mask.push(m);
    }
  };
  const userText = system === "" ? exchange.user : `${system}\n\n${exchange.user}`;
  push([s.userStart, ...tokenizer.encode(userText), s.userEnd], 0);
  if (exchange.assistant === null && !open) return { ids, mask };
  push([s.assistantStart], 0);
  for (const message of exchange.assistant ?? []) {
    if (message.role === "assistant") {
      if (message.content !== "") push(tokenizer.encode(message.content), 1);
      for (const call of message.toolCalls ?? [])
        push([s.pythonStart, ...tokenizer.encode(call.code), s.pythonEnd], 1);
    } else {
      push(renderToolOutput(message.content, tokenizer), 0);
    }
  }
  if (!open && exchange.assistant !== null) push([s.assistantEnd], 1);
  return { ids, mask };
}

/** The forced ids of one tool result: <|output_start|>output<|output_end|>. */
export function renderToolOutput(output: string, tokenizer: Tokenizer): number[] {
  return [
    tokenizer.specialId("<|output_start|>"),
    ...tokenizer.encode(output),
    tokenizer.specialId("<|output_end|>"),
  ];
}

function render(
  messages: readonly Message[],
  tokenizer: Tokenizer,
  options: RenderOptions,
  open: boolean,
): RenderedConversation {
  const s = specials(tokenizer);
  const { system, exchanges } = toExchanges(messages);
  if (exchanges.length === 0) {
    throw new LlmError("INVALID_INPUT", "The conversation has no user message.", {
      input: `${messages.length} messages`,
      hint: "Add at least one user message.",
    });
  }
  const maxTokens = options.maxTokens ?? Number.POSITIVE_INFINITY;
  const truncation = options.truncation ?? "drop-oldest";
  const isLast = (i: number) => i === exchanges.length - 1;
  // Exchanges after the first never carry the system text, so their pieces are computed once.
  const rest = exchanges.map((exchange, i) =>
    i === 0 ? null : renderExchange(exchange, "", tokenizer, s, open && isLast(i)),
  );
  let start = 0;
  for (;;) {
    const first = renderExchange(exchanges[start] as Exchange, system, tokenizer, s, open && isLast(start));
    let total = 1 + first.ids.length;
    for (let i = start + 1; i < exchanges.length; i++) total += (rest[i] as Piece).ids.length;
    if (total <= maxTokens) {
      const ids = [s.bos, ...first.ids];
      const mask = [0, ...first.mask];
      for (let i = start + 1; i < exchanges.length; i++) {
        ids.push(...(rest[i] as Piece).ids);
        mask.push(...(rest[i] as Piece).mask);
      }
      return { ids, mask, droppedExchanges: start };
    }
    if (truncation === "error" || isLast(start)) {
      throw new LlmError(
        "INVALID_INPUT",
        `The conversation needs ${total} tokens${isLast(start) && start > 0 ? " even with only its last exchange" : ""}, more than maxTokens ${maxTokens}.`,
        {
          input: `${messages.length} messages`,
          hint:
            truncation === "error"
              ? 'Raise maxTokens or use truncation "drop-oldest".'
              : "Raise maxTokens or shorten the last exchange; truncation never cuts inside it.",
        },
      );
    }
    // The next exchange becomes the first one; it will carry the system text.
    start++;
    rest[start] = null;
  }
}

/** Renders a whole conversation for training: ids and the assistant-only loss mask. */
export function renderConversation(
  conversation: { messages: readonly Message[] } | readonly Message[],
  tokenizer: Tokenizer,
  options: RenderOptions = {},
): RenderedConversation {
  const messages = Array.isArray(conversation)
    ? (conversation as readonly Message[])
    : (conversation as { messages: readonly Message[] }).messages;
  return render(messages, tokenizer, options, false);
}

/**
 * Renders a history for generation: ids ending with <|assistant_start|> (after a user message), or
 * ending inside the open assistant turn (after assistant/tool messages, to continue that turn).
 */
export function renderPrompt(
  messages: readonly Message[],
  tokenizer: Tokenizer,
  options: RenderOptions = {},
): number[] {
  return render(messages, tokenizer, options, true).ids;
}

/** renderPrompt that also says how many leading exchanges "drop-oldest" truncation removed. */
export function renderPromptWithin(
  messages: readonly Message[],
  tokenizer: Tokenizer,
  maxTokens: number,
): { ids: number[]; droppedExchanges: number } {
  const { ids, droppedExchanges } = render(messages, tokenizer, { maxTokens }, true);
  return { ids, droppedExchanges };
}
