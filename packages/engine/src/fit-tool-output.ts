/**
 * fitToolOutput: a tool output cut to at most `maxTokens` tokens, so that the chat engine can force
 * it into the stream without sliding the conversation's start (the user's question) out of the
 * model's context. A cut output keeps its closing quotes and brackets and puts "..." before them,
 * the way CorpusSearch marks a cut snippet: `["No president since Abraham Lincoln has seen..."]`.
 * The cut is at a character boundary (the longest prefix whose cut form fits, found by bisection
 * over re-encodings), never inside a multi-byte character.
 * Reference: nanochat's engine.py forces tool outputs without a limit; chat APIs that truncate
 * tool results to the context (e.g. agent frameworks' max tool-output tokens).
 * Leaves out: cutting in the middle (keeping an output's head and tail) and per-tool rules.
 */
import type { Tokenizer } from "@llm/core";

/** The closing quotes and brackets at the end of an output (`"]` of a JSON list of strings). */
const CLOSING = /["'\])}]*$/;

/** `output` unchanged when it encodes to at most `maxTokens` tokens, else its longest cut form that does ("" when none fits). */
export function fitToolOutput(output: string, maxTokens: number, tokenizer: Tokenizer): string {
  if (tokenizer.encode(output).length <= maxTokens) return output;
  const closing = CLOSING.exec(output)?.[0] ?? "";
  const body = Array.from(output.slice(0, output.length - closing.length));
  const cut = (n: number) => `${body.slice(0, n).join("").trimEnd()}...${closing}`;
  const fits = (n: number) => tokenizer.encode(cut(n)).length <= maxTokens;
  if (!fits(0)) return "";
  // the longest n with fits(n); fits(body.length) is false (the whole output does not fit)
  let lo = 0;
  let hi = body.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return cut(lo);
}
