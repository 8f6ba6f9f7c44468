/**
 * The copy curriculum of the pretraining text: documents that reward copying tokens from earlier
 * in the context, so that the base model has the circuit (induction heads: attend to the token
 * after an earlier occurrence of the current one, and copy it) that every assistant task of the
 * pipeline needs to repeat a word, a number or a name from the question. Two kinds:
 * - repeat documents: a random span of a natural document, written twice;
 * - task documents: letter-counting and decimal-comparison problems with their code, as plain text
 *   ("Q: ... / Code: ... / Output: ... / A: ..."; no chat special tokens), on the SFT tasks'
 *   training words and pairs only (held-out ones never appear), as mid-training mixes do.
 * Arithmetic problems are left out on purpose: the reasoning-order probe compares steps-first
 * with answer-first SFT models of the same base, so the base must not prefer either order.
 * Reference: Olsson et al. 2022, "In-context Learning and Induction Heads" (repeated sequences);
 * nanochat's mid-training mixture (task data before SFT). Leaves out: a separate mid-training stage.
 */
import type { Conversation, Document } from "@llm/core";
import { Rng } from "@llm/core";
import {
  decimalCompareConversations,
  decimalCompareTasks,
  letterCountTasks,
  letterTaskConversations,
} from "@llm/sft";

/** Sources of synthetic documents (left out when counting the corpus' own words). */
export const SYNTHETIC_SOURCES: ReadonlySet<string> = new Set([
  "knowledge",
  "repeat",
  "task",
  "arithmetic-facts",
]);

/** Spans of `minWords`-`maxWords` words of random natural documents, each written twice. */
export function repeatDocuments(
  natural: readonly Document[],
  count: number,
  seed: number,
  minWords = 8,
  maxWords = 40,
): Document[] {
  const rng = new Rng(`repeat-documents:${seed}`);
  const pool = natural.filter((doc) => doc.text.split(/\s+/).length >= minWords);
  const out: Document[] = [];
  for (let i = 0; i < count && pool.length > 0; i++) {
    const words = rng.pick(pool).text.split(/\s+/).filter(Boolean);
    const length = Math.min(words.length, rng.range(minWords, maxWords));
    const start = rng.int(words.length - length + 1);
    const span = words.slice(start, start + length).join(" ");
    out.push({ id: `repeat-${i}`, text: `${span}\n${span}`, metadata: { source: "repeat" } });
  }
  return out;
}

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
 * pairs stay unseen).
 */
export function taskDocuments(count: number, seed: number, words?: readonly string[]): Document[] {
  if (count <= 0) return [];
  const half = Math.ceil(count / 2);
  const letters = letterCountTasks({ seed, count: half, ...(words ? { words } : {}) }).train;
  const decimals = decimalCompareTasks({ seed, count: count - half }).train;
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
