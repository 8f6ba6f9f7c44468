/**
 * Task documents for pretraining: letter-counting and decimal-comparison problems with their
 * code, written as plain text ("Q: ... / Code: ... / Output: ... / A: ..."; no chat special
 * tokens), on the SFT generators' training words and pairs only (held-out ones never appear), as
 * mid-training mixes do. With @llm/data's repeatDocuments they are the pipeline's copy curriculum:
 * documents that reward copying tokens from earlier in the context, so that the base model has the
 * circuit (induction heads) every assistant task needs to repeat a word, a number or a name from
 * the question. Their metadata.source is "task".
 * Arithmetic problems are left out on purpose: the reasoning-order probe compares steps-first
 * with answer-first SFT models of the same base, so the base must not prefer either order.
 * Reference: Olsson et al. 2022, "In-context Learning and Induction Heads"; nanochat's
 * mid-training mixture (task data before SFT). Leaves out: a separate mid-training stage.
 */
import type { Conversation, Document } from "@llm/core";
import { decimalCompareConversations, decimalCompareTasks } from "./decimal-compare.js";
import { letterCountTasks, letterTaskConversations } from "./letter-count.js";

/** A conversation written as plain text: Q (user), Code (tool call), Output (tool), A (assistant). */
export function conversationText(conversation: Conversation): string {
  const lines: string[] = [];
  for (const m of conversation.messages) {
    if (m.role === "user") lines.push(`Q: ${m.content}`);
    else if (m.role === "tool") lines.push(`Output: ${m.content}`);
    else if (m.role === "assistant") {
      if (m.content !== "") lines.push(`A: ${m.content}`);
      for (const call of m.toolCalls ?? []) lines.push(`Code: ${call.code}`);
    }
  }
  return lines.join("\n");
}

/**
 * `count` task documents, half letter counting and half decimal comparison, drawn from the
 * training split of the SFT generators with the same seed and word list (so held-out words and
 * pairs stay unseen). `paraphraseShare` of them ask in the generators' other phrasings (unquoted
 * words, "r's", yes/no and "which is smaller" questions), whose calls copy the question's chunks
 * (" strawberry", " r"; copyLiteral): pretraining then sees those copies too. Default 0.
 */
export function taskDocuments(
  count: number,
  seed: number,
  words?: readonly string[],
  paraphraseShare = 0,
): Document[] {
  if (count <= 0) return [];
  const half = Math.ceil(count / 2);
  const letters = letterCountTasks({ seed, count: half, paraphraseShare, ...(words ? { words } : {}) }).train;
  const decimals = decimalCompareTasks({ seed, count: count - half, paraphraseShare }).train;
  const conversations = [
    ...letterTaskConversations(letters, "tool"),
    ...decimalCompareConversations(decimals, "tool"),
  ];
  return conversations.map((c, i) => ({
    id: `task-${i}`,
    text: conversationText(c),
    metadata: { source: "task" },
  }));
}
