/**
 * createProbes: the nine probes of this package, built with their options, in report order;
 * optionally only the named ones. Reference: none. Leaves out: probe discovery from other packages.
 */
import type { Probe } from "@llm/core";
import { LlmError } from "@llm/core";
import {
  type BaseModelAsRepeaterOptions,
  baseModelAsRepeaterProbe,
} from "./probes/base-model-as-repeater.js";
import { type DecimalComparisonOptions, decimalComparisonProbe } from "./probes/decimal-comparison.js";
import { type IdentityOptions, identityProbe } from "./probes/identity.js";
import { type KnowledgeAndRefusalOptions, knowledgeAndRefusalProbe } from "./probes/knowledge-and-refusal.js";
import { type LetterCountingOptions, letterCountingProbe } from "./probes/letter-counting.js";
import { type ReasoningOrderOptions, reasoningOrderProbe } from "./probes/reasoning-order.js";
import { type RlGainOptions, rlGainProbe } from "./probes/rl-gain.js";
import { type SmallTalkOptions, smallTalkProbe } from "./probes/small-talk.js";
import { type TokensNotWordsOptions, tokensNotWordsProbe } from "./probes/tokens-not-words.js";

/** Probe names in report order. */
export const PROBE_NAMES = [
  "tokens-not-words",
  "letter-counting",
  "decimal-comparison",
  "reasoning-order",
  "identity",
  "knowledge-and-refusal",
  "small-talk",
  "base-model-as-repeater",
  "rl-gain",
] as const;

export type ProbeName = (typeof PROBE_NAMES)[number];

/** Options per probe, keyed by probe name. All optional. */
export interface ProbeOptions {
  "tokens-not-words"?: TokensNotWordsOptions;
  "letter-counting"?: LetterCountingOptions;
  "decimal-comparison"?: DecimalComparisonOptions;
  "reasoning-order"?: ReasoningOrderOptions;
  identity?: IdentityOptions;
  "knowledge-and-refusal"?: KnowledgeAndRefusalOptions;
  "small-talk"?: SmallTalkOptions;
  "base-model-as-repeater"?: BaseModelAsRepeaterOptions;
  "rl-gain"?: RlGainOptions;
}

/** Builds the probes named in `only` (default: all nine), in report order. */
export function createProbes(options: ProbeOptions = {}, only?: readonly string[]): Probe[] {
  const unknown = (only ?? []).filter((n) => !(PROBE_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new LlmError("INVALID_ARGUMENT", `Unknown probe name(s): ${unknown.join(", ")}.`, {
      input: unknown.join(","),
      hint: `Use any of ${PROBE_NAMES.join(", ")}.`,
    });
  }
  const builders: Record<ProbeName, () => Probe> = {
    "tokens-not-words": () => tokensNotWordsProbe(options["tokens-not-words"]),
    "letter-counting": () => letterCountingProbe(options["letter-counting"]),
    "decimal-comparison": () => decimalComparisonProbe(options["decimal-comparison"]),
    "reasoning-order": () => reasoningOrderProbe(options["reasoning-order"]),
    identity: () => identityProbe(options.identity),
    "knowledge-and-refusal": () => knowledgeAndRefusalProbe(options["knowledge-and-refusal"]),
    "small-talk": () => smallTalkProbe(options["small-talk"]),
    "base-model-as-repeater": () => baseModelAsRepeaterProbe(options["base-model-as-repeater"]),
    "rl-gain": () => rlGainProbe(options["rl-gain"]),
  };
  return PROBE_NAMES.filter((n) => only === undefined || only.includes(n)).map((n) => builders[n]());
}
