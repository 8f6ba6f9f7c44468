/**
 * renderTerminal: draws a Comparison for a terminal: each tokenizer's tokens on alternating
 * background colours (or separated by "|" without colour), the ids on request, bytes per token,
 * and the jieba words for Chinese text. Newlines show as "↵", tabs as "→". Reference:
 * Tiktokenizer's coloured view. Leaves out: terminal width handling (long text wraps as is).
 */
import { paint } from "@llm/core";
import type { Comparison } from "./compare-tokenizers.js";

export interface TerminalRenderOptions {
  /** ANSI colours. Default: true. */
  color?: boolean;
  /** Print the ids under each tokenizer. Default: false. */
  showIds?: boolean;
}

// Background colours (256-colour palette), dark text on top.
const BACKGROUNDS = [153, 229, 194, 217, 189, 223];

function visible(piece: string): string {
  return piece.replace(/\n/g, "↵").replace(/\t/g, "→");
}

export function renderTerminal(comparison: Comparison, options: TerminalRenderOptions = {}): string {
  const color = options.color ?? true;
  const lines: string[] = [];
  const bold = (s: string): string => paint("bold", s, color);
  for (const view of comparison.views) {
    lines.push(`${bold(view.name)}  ${view.ids.length} tokens, ${view.bytesPerToken.toFixed(2)} bytes/token`);
    const drawn = view.labels.map((piece, i) =>
      color
        ? `\x1b[48;5;${BACKGROUNDS[i % BACKGROUNDS.length]}m\x1b[38;5;16m${visible(piece)}\x1b[0m`
        : visible(piece),
    );
    lines.push(`  ${drawn.join(color ? "" : "|")}`);
    if (options.showIds) lines.push(`  [${view.ids.join(", ")}]`);
  }
  if (comparison.words)
    lines.push(
      `${bold("jieba words")}  ${comparison.words.length} words`,
      `  ${comparison.words.map(visible).join(" | ")}`,
    );
  return `${lines.join("\n")}\n`;
}
