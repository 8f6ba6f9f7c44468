/**
 * maskSpans / formatMaskedConversation: show which tokens of a rendered conversation are trained
 * on. Spans of consecutive tokens with the same mask are decoded together; the formatter colours
 * trained spans green and the rest grey with ANSI codes (or brackets them when colour is off).
 * Used by `llm-sft render`. Reference: nanochat's render_conversation debugging output.
 * Leaves out: HTML output.
 */

import type { Tokenizer } from "@llm/core";
import { paint } from "@llm/core";
import type { RenderedConversation } from "./render-conversation.js";

export interface MaskSpan {
  text: string;
  /** 1 when these tokens are trained on. */
  mask: number;
  tokens: number;
}

export function maskSpans(
  rendered: Pick<RenderedConversation, "ids" | "mask">,
  tokenizer: Tokenizer,
): MaskSpan[] {
  const spans: MaskSpan[] = [];
  let start = 0;
  for (let i = 1; i <= rendered.ids.length; i++) {
    if (i === rendered.ids.length || rendered.mask[i] !== rendered.mask[start]) {
      spans.push({
        text: tokenizer.decode(rendered.ids.slice(start, i)),
        mask: rendered.mask[start] ?? 0,
        tokens: i - start,
      });
      start = i;
    }
  }
  return spans;
}

/** The conversation's text with trained spans in green (or [[...]] without colour). */
export function formatMaskedConversation(
  rendered: Pick<RenderedConversation, "ids" | "mask">,
  tokenizer: Tokenizer,
  options: { color?: boolean } = {},
): string {
  const color = options.color ?? true;
  return maskSpans(rendered, tokenizer)
    .map((span) => {
      if (color) return paint(span.mask === 1 ? "green" : "gray", span.text);
      return span.mask === 1 ? `[[${span.text}]]` : span.text;
    })
    .join("");
}
