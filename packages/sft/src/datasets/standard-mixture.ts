/**
 * standardMixture: the SFT mixture the pipeline uses, in one call. It combines identity, knowledge
 * and refusal, arithmetic, letter counting and decimal comparison (tool or direct style), plus
 * any extra conversations (e.g. flattened oasst2). It returns the train/validation split and the
 * held-out eval Tasks of every family, for RL and the probes. Call it with the same seed and
 * knowledge config as the factDocuments() mixed into pretraining, so the known entities match.
 * Reference: nanochat's chat_sft TaskMixture. Leaves out: choosing sizes from a compute budget.
 */
import type { Conversation, Task } from "@llm/core";
import {
  type ArithmeticConfig,
  type ArithmeticForm,
  arithmeticConversations,
  arithmeticTasks,
} from "./arithmetic.js";
import {
  type DecimalCompareConfig,
  decimalCompareConversations,
  decimalCompareTasks,
} from "./decimal-compare.js";
import { type IdentityConfig, identityConversations, identityTasks } from "./identity.js";
import {
  generateKnowledgeBase,
  type KnowledgeBase,
  type KnowledgeConfig,
  knowledgeConversations,
  knowledgeTasks,
} from "./knowledge.js";
import {
  type LetterTaskConfig,
  letterCountTasks,
  letterTaskConversations,
  type SolutionStyle,
} from "./letter-count.js";
import { type Mixture, mixConversations } from "./mixture.js";

export interface StandardMixtureConfig {
  /** Seed of every generator and of the mixture. Default 0. */
  seed?: number;
  /** The assistant's identity. Default: see IdentityConfig. */
  identity?: IdentityConfig;
  /** Identity training conversations. Default 300. */
  identityCount?: number;
  /** Knowledge base config (must match the one used for pretraining fact documents). Default: see KnowledgeConfig. */
  knowledge?: KnowledgeConfig;
  /** Arithmetic config (count, evalCount, ops, maxOperand). Default: see ArithmeticConfig. */
  arithmetic?: ArithmeticConfig;
  /** Arithmetic answer form. Default "steps-first". */
  arithmeticForm?: ArithmeticForm;
  /** Letter counting config. Default: see LetterTaskConfig. */
  letterCount?: LetterTaskConfig;
  /** Decimal comparison config. Default: see DecimalCompareConfig. */
  decimalCompare?: DecimalCompareConfig;
  /** Solution style of letter counting and decimal comparison. Default "tool". */
  style?: SolutionStyle;
  /** Extra conversations (e.g. flattened oasst2), one mixture source each. Default none. */
  extra?: { name: string; conversations: readonly Conversation[]; epochs?: number }[];
  /** Epochs per source name (identity, knowledge, arithmetic, letter-count, decimal-compare, or an extra's name). Default 1 each. */
  epochs?: Record<string, number>;
  /** Validation share of each source. Default 0.05. */
  valFraction?: number;
}

export interface StandardMixture extends Mixture {
  knowledgeBase: KnowledgeBase;
  /** Held-out eval tasks per family (RL prompts and probe inputs). */
  evalTasks: Record<"identity" | "knowledge" | "arithmetic" | "letter-count" | "decimal-compare", Task[]>;
  /** Training tasks per family (RL prompts). */
  trainTasks: Record<"identity" | "knowledge" | "arithmetic" | "letter-count" | "decimal-compare", Task[]>;
}

export function standardMixture(config: StandardMixtureConfig = {}): StandardMixture {
  const seed = config.seed ?? 0;
  const style = config.style ?? "tool";
  const kb = generateKnowledgeBase({ seed, ...config.knowledge });
  const arithmetic = arithmeticTasks({ seed, ...config.arithmetic });
  const letters = letterCountTasks({ seed, ...config.letterCount });
  const decimals = decimalCompareTasks({ seed, ...config.decimalCompare });
  const identity = identityTasks(config.identity ?? {}, { seed });
  const epochs = config.epochs ?? {};
  const source = (name: string, conversations: readonly Conversation[]) => ({
    name,
    conversations,
    epochs: epochs[name] ?? 1,
  });
  const mix = mixConversations(
    [
      source(
        "identity",
        identityConversations(config.identity ?? {}, { seed, count: config.identityCount ?? 300 }).train,
      ),
      source("knowledge", knowledgeConversations(kb).train),
      source("arithmetic", arithmeticConversations(arithmetic.train, config.arithmeticForm ?? "steps-first")),
      source("letter-count", letterTaskConversations(letters.train, style)),
      source("decimal-compare", decimalCompareConversations(decimals.train, style)),
      ...(config.extra ?? []).map((e) => ({
        ...source(e.name, e.conversations),
        epochs: e.epochs ?? epochs[e.name] ?? 1,
      })),
    ],
    { seed, valFraction: config.valFraction ?? 0.05 },
  );
  const knowledge = knowledgeTasks(kb);
  return {
    ...mix,
    knowledgeBase: kb,
    evalTasks: {
      identity: identity.eval,
      knowledge: knowledge.eval,
      arithmetic: arithmetic.eval,
      "letter-count": letters.eval,
      "decimal-compare": decimals.eval,
    },
    trainTasks: {
      identity: identity.train,
      knowledge: knowledge.train,
      arithmetic: arithmetic.train,
      "letter-count": letters.train,
      "decimal-compare": decimals.train,
    },
  };
}
