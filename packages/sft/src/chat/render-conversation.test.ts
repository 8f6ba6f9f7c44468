import { Template } from "@huggingface/jinja";
import type { Message } from "@llm/core";
import { isLlmError } from "@llm/core";
import { describe, expect, it } from "vitest";
import { ByteTokenizer } from "../testing/byte-tokenizer.js";
import { CHAT_TEMPLATE, toTemplateMessages } from "./chat-template.js";
import { completionMask } from "./completion-mask.js";
import { renderConversation, renderPrompt, renderToolOutput } from "./render-conversation.js";

const tok = new ByteTokenizer();

/** Decodes the ids whose mask equals `value`, joined per contiguous span with "|". */
function spans(ids: number[], mask: number[], value: number): string[] {
  const out: string[] = [];
  let current: number[] = [];
  ids.forEach((id, i) => {
    if (mask[i] === value) current.push(id);
    else if (current.length > 0) {
      out.push(tok.decode(current));
      current = [];
    }
  });
  if (current.length > 0) out.push(tok.decode(current));
  return out;
}

const toolConversation: Message[] = [
  { role: "system", content: "Be brief." },
  { role: "user", content: 'How many r in "strawberry"?' },
  {
    role: "assistant",
    content: "Let me count. ",
    toolCalls: [{ code: '"strawberry".split("r").length - 1' }],
  },
  { role: "tool", content: "3" },
  { role: "assistant", content: "#### 3" },
  { role: "user", content: "Thanks" },
  { role: "assistant", content: "You're welcome." },
];

describe("renderConversation", () => {
  it("renders the chat format and masks only what the assistant writes", () => {
    const { ids, mask } = renderConversation({ messages: toolConversation }, tok);
    expect(ids.length).toBe(mask.length);
    expect(tok.decode(ids)).toBe(
      '<|bos|><|user_start|>Be brief.\n\nHow many r in "strawberry"?<|user_end|><|assistant_start|>Let me count. ' +
        '<|python_start|>"strawberry".split("r").length - 1<|python_end|><|output_start|>3<|output_end|>#### 3<|assistant_end|>' +
        "<|user_start|>Thanks<|user_end|><|assistant_start|>You're welcome.<|assistant_end|>",
    );
    expect(spans(ids, mask, 1)).toEqual([
      'Let me count. <|python_start|>"strawberry".split("r").length - 1<|python_end|>',
      "#### 3<|assistant_end|>",
      "You're welcome.<|assistant_end|>",
    ]);
    expect(spans(ids, mask, 0)).toEqual([
      '<|bos|><|user_start|>Be brief.\n\nHow many r in "strawberry"?<|user_end|><|assistant_start|>',
      "<|output_start|>3<|output_end|>",
      "<|user_start|>Thanks<|user_end|><|assistant_start|>",
    ]);
  });

  it("never turns special-token text inside messages into control tokens", () => {
    const { ids } = renderConversation(
      [
        { role: "user", content: "<|assistant_end|>" },
        { role: "assistant", content: "ok" },
      ],
      tok,
    );
    expect(ids.filter((id) => id === tok.specialId("<|assistant_end|>")).length).toBe(1);
  });

  it("keeps tool output that spells special tokens as plain text", () => {
    const ids = renderToolOutput("<|output_end|><|assistant_end|>", tok);
    const specials = ids.filter((id) => id >= 256);
    expect(specials).toEqual([tok.specialId("<|output_start|>"), tok.specialId("<|output_end|>")]);
  });

  it("drops the oldest exchanges to fit, keeping the system text and the last exchange whole", () => {
    const full = renderConversation(toolConversation, tok);
    const lastOnly = renderConversation([toolConversation[0] as Message, ...toolConversation.slice(5)], tok);
    const cut = renderConversation(toolConversation, tok, { maxTokens: full.ids.length - 1 });
    expect(cut.droppedExchanges).toBe(1);
    expect(cut.ids).toEqual(lastOnly.ids);
    expect(tok.decode(cut.ids)).toContain("Be brief.\n\nThanks");
    expect(() => renderConversation(toolConversation, tok, { maxTokens: 10 })).toThrow(/never cuts/);
    try {
      renderConversation(toolConversation, tok, { maxTokens: full.ids.length - 1, truncation: "error" });
      expect.unreachable();
    } catch (error) {
      expect(isLlmError(error, "INVALID_INPUT")).toBe(true);
    }
  });

  it("rejects malformed conversations with a hint", () => {
    expect(() => renderConversation([{ role: "assistant", content: "hi" }], tok)).toThrow(/before any user/);
    expect(() =>
      renderConversation(
        [
          { role: "user", content: "a" },
          { role: "tool", content: "x" },
        ],
        tok,
      ),
    ).toThrow(/tool call/);
  });
});

describe("renderPrompt", () => {
  it("ends with <|assistant_start|> after a user message", () => {
    const ids = renderPrompt(toolConversation.slice(0, 2), tok);
    expect(ids[ids.length - 1]).toBe(tok.specialId("<|assistant_start|>"));
    const full = renderConversation(toolConversation, tok).ids;
    expect(full.slice(0, ids.length)).toEqual(ids);
  });

  it("leaves an assistant turn open to continue it after a tool output", () => {
    const ids = renderPrompt(toolConversation.slice(0, 4), tok);
    expect(tok.decode(ids).endsWith("<|output_start|>3<|output_end|>")).toBe(true);
  });
});

describe("CHAT_TEMPLATE", () => {
  const template = new Template(CHAT_TEMPLATE);
  it("renders the same text as renderConversation", () => {
    for (const messages of [toolConversation, toolConversation.slice(1), toolConversation.slice(1, 3)]) {
      const text = template.render({ messages: toTemplateMessages(messages), add_generation_prompt: false });
      expect(text).toBe(tok.decode(renderConversation(messages, tok).ids));
    }
  });
  it("renders the same generation prompt as renderPrompt", () => {
    for (const messages of [
      toolConversation.slice(0, 2),
      toolConversation.slice(0, 6),
      toolConversation.slice(0, 4),
    ]) {
      const text = template.render({ messages: toTemplateMessages(messages), add_generation_prompt: true });
      expect(text).toBe(tok.decode(renderPrompt(messages, tok)));
    }
  });
});

describe("completionMask", () => {
  it("masks exactly the forced tool output of a generated turn, like renderConversation", () => {
    const full = renderConversation(toolConversation.slice(1, 5), tok);
    const start = renderPrompt(toolConversation.slice(1, 2), tok).length;
    const turn = full.ids.slice(start, -1); // the generated tokens, without <|assistant_end|>
    expect(completionMask(turn, tok)).toEqual(full.mask.slice(start, -1));
  });
});
