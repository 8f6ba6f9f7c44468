/**
 * completionMask: the loss mask of a generated assistant turn (the `tokens` of a chat engine's
 * done event): 1 on what the model sampled, 0 on the tool output the engine forced in
 * (<|output_start|> ... <|output_end|>, both inclusive). The same rule as renderConversation's
 * mask, for RL, which trains on its own samples.
 * Reference: nanochat's chat_rl (masks forced tokens). Leaves out: the prompt (mask it yourself).
 */
import type { Tokenizer } from "@llm/core";

export function completionMask(tokens: readonly number[], tokenizer: Tokenizer): number[] {
  const start = tokenizer.specialId("<|output_start|>");
  const end = tokenizer.specialId("<|output_end|>");
  let forced = false;
  return tokens.map((id) => {
    if (id === start) forced = true;
    const m = forced ? 0 : 1;
    if (id === end) forced = false;
    return m;
  });
}
