/**
 * formatReward: rewards the shape of a completion, independent of correctness: half for stating
 * an answer after the answer marker, half for tool calls that are well formed (every
 * <|python_start|> closed by <|python_end|> before the next one opens, with non-empty code, and
 * tool output only right after a closed call). A completion without tool calls has well-formed
 * tool use. Reference: DeepSeek-R1's format reward, TRL's format reward functions.
 * Leaves out: checking that the code parses (the sandbox reports that as a tool error).
 */

import type { RewardFunction, RewardResult, Task } from "@llm/core";
import { extractAnswer } from "@llm/sft";
import type { AnswerExtractor } from "./answer-reward.js";
import { stripToolBlocks } from "./answer-reward.js";

const TOKEN = /<\|(python_start|python_end|output_start|output_end)\|>/g;

/** Why the tool calls of a completion are malformed, or undefined when they are well formed. */
export function toolCallProblem(completion: string): string | undefined {
  let open = -1;
  let lastClosed = false;
  let closedAt = -1;
  let inOutput = false;
  for (const match of completion.matchAll(TOKEN)) {
    const name = match[1];
    const at = match.index ?? 0;
    if (name === "python_start") {
      if (open >= 0) return "tool call opened inside another";
      if (inOutput) return "tool call inside tool output";
      open = at + match[0].length;
      lastClosed = false;
    } else if (name === "python_end") {
      if (open < 0) return "tool call closed without being opened";
      if (completion.slice(open, at).trim() === "") return "empty tool call";
      open = -1;
      lastClosed = true;
      closedAt = at + match[0].length;
    } else if (name === "output_start") {
      if (!lastClosed || at !== closedAt) {
        return "tool output without a preceding tool call";
      }
      inOutput = true;
    } else {
      if (!inOutput) return "tool output closed without being opened";
      inOutput = false;
      lastClosed = false;
    }
  }
  if (open >= 0) return "tool call never closed";
  return undefined;
}

/** 0.5 for a stated answer plus 0.5 for well-formed tool calls. */
export function formatReward(extract: AnswerExtractor = extractAnswer): RewardFunction {
  return (completion: string, _task: Task): RewardResult => {
    const answer = extract(stripToolBlocks(completion));
    const problem = toolCallProblem(completion);
    const reward = (answer === undefined ? 0 : 0.5) + (problem === undefined ? 0.5 : 0);
    const details = [
      answer === undefined ? "no answer marker" : "answer stated",
      problem ?? "tool calls well formed",
    ];
    return { reward, ...(answer === undefined ? {} : { extracted: answer }), detail: details.join("; ") };
  };
}
