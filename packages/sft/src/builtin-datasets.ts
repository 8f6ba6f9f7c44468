/**
 * builtinConversations: the package's generated datasets by name, with default settings, for the
 * CLI and quick experiments ("identity", "arithmetic", "arithmetic-answer-first", "letter-count",
 * "letter-count-direct", "spelling", "decimal-compare", "decimal-compare-direct", "knowledge").
 * Reference: nanochat's TaskMixture of SmolTalk, identity and spelling tasks.
 * Leaves out: oasst2 (it needs a file; use flattenOasst2).
 */
import type { Conversation } from "@llm/core";
import { LlmError } from "@llm/core";
import { arithmeticConversations, arithmeticTasks } from "./datasets/arithmetic.js";
import { decimalCompareConversations, decimalCompareTasks } from "./datasets/decimal-compare.js";
import { identityConversations } from "./datasets/identity.js";
import { generateKnowledgeBase, knowledgeConversations } from "./datasets/knowledge.js";
import { letterCountTasks, letterTaskConversations, spellingTasks } from "./datasets/letter-count.js";

export const BUILTIN_DATASETS = [
  "identity",
  "arithmetic",
  "arithmetic-answer-first",
  "letter-count",
  "letter-count-direct",
  "spelling",
  "decimal-compare",
  "decimal-compare-direct",
  "knowledge",
] as const;

export type BuiltinDataset = (typeof BUILTIN_DATASETS)[number];

/** Training and eval conversations of one built-in dataset. */
export function builtinConversations(
  name: string,
  seed = 0,
): { train: Conversation[]; eval: Conversation[] } {
  const both = <T>(f: (x: T) => Conversation[], split: { train: T; eval: T }) => ({
    train: f(split.train),
    eval: f(split.eval),
  });
  switch (name as BuiltinDataset) {
    case "identity":
      return identityConversations({}, { seed });
    case "arithmetic":
      return both((t) => arithmeticConversations(t, "steps-first"), arithmeticTasks({ seed }));
    case "arithmetic-answer-first":
      return both((t) => arithmeticConversations(t, "answer-first"), arithmeticTasks({ seed }));
    case "letter-count":
      return both((t) => letterTaskConversations(t, "tool"), letterCountTasks({ seed }));
    case "letter-count-direct":
      return both((t) => letterTaskConversations(t, "direct"), letterCountTasks({ seed }));
    case "spelling":
      return both((t) => letterTaskConversations(t, "direct"), spellingTasks({ seed }));
    case "decimal-compare":
      return both((t) => decimalCompareConversations(t, "tool"), decimalCompareTasks({ seed }));
    case "decimal-compare-direct":
      return both((t) => decimalCompareConversations(t, "direct"), decimalCompareTasks({ seed }));
    case "knowledge":
      return knowledgeConversations(generateKnowledgeBase({ seed }));
    default:
      throw new LlmError("INVALID_ARGUMENT", `Unknown built-in dataset ${name}.`, {
        input: name,
        hint: `Use one of ${BUILTIN_DATASETS.join(", ")}.`,
      });
  }
}
