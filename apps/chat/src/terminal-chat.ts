/**
 * The terminal chat: reads lines, streams the assistant's reply token by token, shows tool calls
 * and their outputs in their own colours, and understands a few slash commands (/reset,
 * /temperature, /tokens, /help, /quit). Input and output streams are injected, so it runs in a
 * TTY, a pipe or a test. A history longer than the model's context loses its oldest turns for the
 * model (a note says how many); a message that cannot fit, or a failing engine, prints an error and
 * the conversation goes on without that message. An unclosed tool call prints as unfinished code.
 * Reference: nanochat's chat_cli. Leaves out: line editing beyond readline's and history persistence.
 */

import { createInterface } from "node:readline";
import type { ChatEngine, Message, Tokenizer } from "@llm/core";
import { colorEnabled, paint, type TerminalStyle } from "@llm/core";
import { ContextOverflowError, type FittedContext } from "@llm/engine";
import { TextAssembler } from "./text-assembler.js";

type Fitter = { fitContext(messages: readonly Message[], replyTokens: number): FittedContext };

export interface TerminalChatOptions {
  engine: ChatEngine;
  tokenizer: Tokenizer;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** ANSI colours. Default: true when output is a TTY. */
  color?: boolean;
  temperature?: number;
  maxTokens?: number;
  /** Printed once at the start. */
  banner?: string;
}

const HELP = [
  "/reset            start a new conversation",
  "/temperature X    set the sampling temperature (0 = greedy)",
  "/tokens           show how the last exchange splits into tokens",
  "/help             this list",
  "/quit             leave",
].join("\n");

export async function runTerminalChat(options: TerminalChatOptions): Promise<void> {
  const useColor = options.color ?? colorEnabled(options.output as { isTTY?: boolean }, process.env);
  const style = (format: TerminalStyle, text: string) => paint(format, text, useColor);
  const out = (text: string) => options.output.write(text);
  let temperature = options.temperature ?? 0.7;
  let history: Message[] = [];
  const rl = createInterface({ input: options.input, terminal: false });
  if (options.banner) out(`${options.banner}\n`);
  out(`${style("dim", "Type a message, or /help.")}\n`);
  out(style(["bold", "blue"], "you> "));
  for await (const raw of rl) {
    const line = raw.trim();
    if (line === "") {
      out(style(["bold", "blue"], "you> "));
      continue;
    }
    if (line.startsWith("/")) {
      const [command, arg] = line.split(/\s+/, 2);
      if (command === "/quit" || command === "/exit") break;
      if (command === "/reset") {
        history = [];
        out("(conversation cleared)\n");
      } else if (command === "/temperature") {
        const value = Number(arg);
        if (arg === undefined || !Number.isFinite(value) || value < 0 || value > 2) {
          out("usage: /temperature X   with 0 <= X <= 2\n");
        } else {
          temperature = value;
          out(`(temperature ${value})\n`);
        }
      } else if (command === "/tokens") {
        const lastUser = history.map((m) => m.role).lastIndexOf("user");
        const last =
          lastUser < 0
            ? ""
            : history
                .slice(lastUser)
                .map((m) => m.content)
                .join("\n");
        if (!last) out("(nothing yet)\n");
        else {
          const ids = options.tokenizer.encode(last);
          const pieces = ids.map((id, i) =>
            style(i % 2 === 0 ? ["black", "bgCyan"] : ["black", "bgYellow"], options.tokenizer.decode([id])),
          );
          out(`${pieces.join("")}\n${style("dim", `${ids.length} tokens: ${ids.join(" ")}`)}\n`);
        }
      } else if (command === "/help") {
        out(`${HELP}\n`);
      } else {
        out(`unknown command ${command}; try /help\n`);
      }
      out(style(["bold", "blue"], "you> "));
      continue;
    }
    history.push({ role: "user", content: line });
    const maxTokens = options.maxTokens ?? 256;
    let messages: readonly Message[] = history;
    const fitter = options.engine as Partial<Fitter>;
    if (typeof fitter.fitContext === "function") {
      try {
        const fitted = fitter.fitContext(history, maxTokens);
        messages = fitted.messages;
        if (fitted.droppedMessages > 0) {
          out(
            `${style("dim", `(${fitted.droppedMessages} older messages left out to fit the model's context)`)}\n`,
          );
        }
      } catch (error) {
        if (!(error instanceof ContextOverflowError)) throw error;
        history.pop();
        out(
          `${style("red", `[error] That message needs ${error.neededTokens} tokens; the model's context holds ${error.budgetTokens} with room for the reply. Send a shorter one (the conversation is kept).`)}\n`,
        );
        out(style(["bold", "blue"], "you> "));
        continue;
      }
    }
    out(style(["bold", "green"], "assistant> "));
    const assembler = new TextAssembler();
    try {
      for await (const event of options.engine.chat(messages, { temperature, maxTokens })) {
        if (event.type === "token") out(assembler.push(event.text));
        else if (event.type === "tool_call") out(`\n${style("cyan", `  [tool call] ${event.code}`)}\n`);
        else if (event.type === "tool_output") {
          out(
            `${style(event.isError ? "red" : "yellow", `  [${event.isError ? "tool error" : "output"}] ${event.output}`)}\n`,
          );
        } else if (event.type === "done") {
          history.push(...event.messages);
          const unfinished = assembler.unfinishedCode;
          if (unfinished !== undefined) {
            out(
              `\n${style("cyan", `  [unfinished tool call] ${unfinished}`)}\n${style("dim", " [max tokens]")}`,
            );
          } else if (event.reason === "length") out(style("dim", " [max tokens]"));
          if (event.reason === "tool_limit") out(style("dim", " [tool call limit]"));
        }
      }
    } catch (error) {
      // The reply failed: say so and carry on without the message that caused it.
      if (history[history.length - 1]?.role === "user") history.pop();
      const message = error instanceof Error ? error.message : String(error);
      out(`\n${style("red", `[error] ${message} (the conversation is kept)`)}`);
    }
    out(`\n${style(["bold", "blue"], "you> ")}`);
  }
  rl.close();
  out("\n");
}
