/**
 * Terminal colours, one way: `paint(style, text, enabled)` is node:util's styleText (ANSI codes
 * for named styles such as "green", "bold", ["black", "bgCyan"]) when `enabled`, else the text
 * itself; `colorEnabled(stream, env)` is the one decision, off when the stream is not a TTY or
 * NO_COLOR is set (https://no-color.org). Packages take a `color` option; only apps and CLI entry
 * points call colorEnabled with process.stdout and process.env. Reference: util.styleText, the
 * NO_COLOR convention. Leaves out: 256-colour and true-colour palettes, FORCE_COLOR.
 */
import { styleText } from "node:util";

/** A style (or list of styles) util.styleText knows: "red", "dim", "bold", "bgCyan", ... */
export type TerminalStyle = Parameters<typeof styleText>[0];

/** True when output to `stream` should carry colours: it is a TTY and NO_COLOR is unset or empty. */
export function colorEnabled(
  stream: { isTTY?: boolean | undefined },
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  return stream.isTTY === true && (env.NO_COLOR ?? "") === "";
}

/** `text` in `style` when `enabled` (the decision is the caller's, not the stream's), else `text`. */
export function paint(style: TerminalStyle, text: string, enabled = true): string {
  return enabled ? styleText(style, text, { validateStream: false }) : text;
}
