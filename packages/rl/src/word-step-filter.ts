/**
 * wordStepFilter: @llm/engine's WordStepGuard as a rollout logits filter, so RL samples
 * word-counting steps as the guarded chat and probes decode them (once a reply is steps, each
 * step word a copy of the question's words; in "run" mode a contiguous run of them). It applies
 * where the chat engine applies it: to the turn's first text, before any tool call, with the
 * task's prompt as the user's text (the one user message trainGrpo's default render makes).
 * Reference: SftChatEngine's wordStepGuard hook (packages/engine/src/chat-engine.ts); vLLM's
 * logits processors for guided decoding in TRL's GRPO.
 * Leaves out: prompts rendered from several user messages (only task.prompt is read), and the
 * engine's other guards (tool-call copy, number, loop and grammar guards).
 */

import type { Tokenizer } from "@llm/core";
import { WordStepGuard, type WordStepGuardMode } from "@llm/engine";
import type { RolloutLogitsFilter } from "./generate-rollouts.js";

/** A rollout filter that decodes word-counting steps as the chat engine's wordStepGuard does. */
export function wordStepFilter(tokenizer: Tokenizer, mode: WordStepGuardMode): RolloutLogitsFilter {
  const guard = new WordStepGuard(tokenizer);
  const pyStart = tokenizer.specialId("<|python_start|>");
  return (logits, { prompt, completionIds }) => {
    // only the turn's first text: the chat engine stops guarding at the first tool call
    if (completionIds.includes(pyStart)) return logits;
    return guard.apply(logits, tokenizer.decode([...completionIds]), prompt.task.prompt, mode);
  };
}
