/**
 * CHAT_TEMPLATE: our chat format as a Jinja chat template, for Hugging Face tooling
 * (tokenizer_config.json's `chat_template`, transformers' apply_chat_template). Given the same
 * messages it produces exactly the text whose tokens renderConversation / renderPrompt produce
 * (checked in a test through @huggingface/jinja). Assistant messages carry tool calls as
 * `tool_calls: [{ code }]` (see toTemplateMessages); tool messages are the tool output.
 * Reference: the chat_template convention of Hugging Face transformers, nanochat's format.
 * Leaves out: the loss mask (a template renders text only) and truncation.
 */
import type { Message } from "@llm/core";

export const CHAT_TEMPLATE = [
  "{%- set ns = namespace(system='', state='none', first=true) -%}",
  "{%- for message in messages -%}",
  "{%- if message.role == 'system' -%}",
  "{%- if ns.system -%}{%- set ns.system = ns.system + '\\n\\n' + message.content -%}",
  "{%- else -%}{%- set ns.system = message.content -%}{%- endif -%}",
  "{%- endif -%}",
  "{%- endfor -%}",
  "{{- '<|bos|>' -}}",
  "{%- for message in messages -%}",
  "{%- if message.role == 'user' -%}",
  "{%- if ns.state == 'user' -%}{{- '\\n\\n' + message.content -}}",
  "{%- else -%}",
  "{%- if ns.state == 'assistant' -%}{{- '<|assistant_end|>' -}}{%- endif -%}",
  "{{- '<|user_start|>' -}}",
  "{%- if ns.first and ns.system -%}{{- ns.system + '\\n\\n' -}}{%- endif -%}",
  "{{- message.content -}}",
  "{%- set ns.state = 'user' -%}{%- set ns.first = false -%}",
  "{%- endif -%}",
  "{%- elif message.role == 'assistant' or message.role == 'tool' -%}",
  "{%- if ns.state == 'user' -%}{{- '<|user_end|><|assistant_start|>' -}}{%- set ns.state = 'assistant' -%}{%- endif -%}",
  "{%- if message.role == 'assistant' -%}",
  "{{- message.content -}}",
  "{%- if message.tool_calls -%}{%- for call in message.tool_calls -%}",
  "{{- '<|python_start|>' + call.code + '<|python_end|>' -}}",
  "{%- endfor -%}{%- endif -%}",
  "{%- else -%}",
  "{{- '<|output_start|>' + message.content + '<|output_end|>' -}}",
  "{%- endif -%}",
  "{%- endif -%}",
  "{%- endfor -%}",
  "{%- if ns.state == 'user' -%}{{- '<|user_end|>' -}}",
  "{%- if add_generation_prompt -%}{{- '<|assistant_start|>' -}}{%- endif -%}",
  "{%- elif ns.state == 'assistant' and not add_generation_prompt -%}{{- '<|assistant_end|>' -}}",
  "{%- endif -%}",
].join("");

/** A message in the shape CHAT_TEMPLATE reads (snake_case tool_calls, as Hugging Face does). */
export interface TemplateMessage {
  role: string;
  content: string;
  tool_calls?: { code: string }[];
}

/** Converts our messages to the template's shape. */
export function toTemplateMessages(messages: readonly Message[]): TemplateMessage[] {
  return messages.map((message) => {
    const out: TemplateMessage = { role: message.role, content: message.content };
    if (message.toolCalls && message.toolCalls.length > 0) {
      out.tool_calls = message.toolCalls.map((call) => ({ code: call.code }));
    }
    return out;
  });
}
