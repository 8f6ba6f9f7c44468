/**
 * @llm/probes: measured demonstrations of LLM behaviour (tokens not words, letter counting,
 * 9.11 vs 9.9, reasoning order, identity, "I don't know", the base model as a repeater, what RL
 * adds), run against the models of a pipeline run, and the report renderers (markdown, HTML).
 */
export type { ProbeName, ProbeOptions } from "./all-probes.js";
export { createProbes, PROBE_NAMES } from "./all-probes.js";
export type { ChatReply } from "./chat-once.js";
export { chatOnce, chatOnceToolModes, renderTurn } from "./chat-once.js";
export type { ContinuationEngineConfig } from "./continuation-engine.js";
export { ContinuationEngine } from "./continuation-engine.js";
export { NATURAL_DECIMAL_ROWS } from "./eval-sets/natural-decimals.js";
export {
  naturalDecimalTasks,
  naturalIdentityPrompts,
  naturalKnowledgeTasks,
  naturalLetterTasks,
  naturalPrompts,
  naturalSmallTalkTasks,
  naturalWordCountTasks,
  normalizePrompt,
} from "./eval-sets/natural-eval-sets.js";
export { NATURAL_IDENTITY_ROWS } from "./eval-sets/natural-identity.js";
export { NATURAL_KNOWLEDGE_FRAMES } from "./eval-sets/natural-knowledge.js";
export { NATURAL_LETTER_ROWS } from "./eval-sets/natural-letters.js";
export { NATURAL_SMALL_TALK_ROWS } from "./eval-sets/natural-small-talk.js";
export { NATURAL_WORD_COUNT_ROWS } from "./eval-sets/natural-word-count.js";
export { betterOrWorse, formatPercent, formatPoints, gapSize } from "./format.js";
export type { LoadedProbeContext, LoadProbeContextOptions, LoopGuardLimits } from "./load-probe-context.js";
export { loadProbeContext } from "./load-probe-context.js";
export {
  NATURAL_PROBE_NAMES,
  naturalComparisonTable,
  naturalProbeInputs,
  withNaturalScores,
} from "./natural-phrasing.js";
export type { BaseModelAsRepeaterOptions, RepeaterInput } from "./probes/base-model-as-repeater.js";
export {
  baseModelAsRepeaterProbe,
  DEFAULT_REPEATER_QUESTIONS,
  repeaterFinding,
} from "./probes/base-model-as-repeater.js";
export type { DecimalComparisonOptions } from "./probes/decimal-comparison.js";
export {
  decimalComparisonFinding,
  decimalComparisonProbe,
  defaultDecimalComparisonTasks,
  isAdversarialPair,
  withoutEcho,
} from "./probes/decimal-comparison.js";
export type { IdentityInput, IdentityOptions, IdentityPrompt } from "./probes/identity.js";
export { defaultIdentityPrompts, identityFinding, identityProbe } from "./probes/identity.js";
export type { KnowledgeAndRefusalOptions, KnowledgeInput } from "./probes/knowledge-and-refusal.js";
export {
  containsAnswer,
  defaultKnowledgeTasks,
  knowledgeAndRefusalFinding,
  knowledgeAndRefusalProbe,
} from "./probes/knowledge-and-refusal.js";
export type { LetterCountingOptions } from "./probes/letter-counting.js";
export {
  defaultLetterCountingTasks,
  letterCountingFinding,
  letterCountingProbe,
} from "./probes/letter-counting.js";
export type { ReasoningOrderOptions } from "./probes/reasoning-order.js";
export { reasoningOrderFinding, reasoningOrderProbe } from "./probes/reasoning-order.js";
export type { RlGainOptions } from "./probes/rl-gain.js";
export { numericAnswerReward, rlGainFinding, rlGainProbe } from "./probes/rl-gain.js";
export type { SmallTalkOptions } from "./probes/small-talk.js";
export { defaultSmallTalkTasks, smallTalkFinding, smallTalkProbe } from "./probes/small-talk.js";
export type {
  ReferenceTokenizerName,
  TokenCounter,
  TokenSplit,
  TokensNotWordsOptions,
} from "./probes/tokens-not-words.js";
export {
  DEFAULT_TOKEN_TEXTS,
  REFERENCE_TOKENIZERS,
  splitText,
  tokenPiece,
  tokensNotWordsFinding,
  tokensNotWordsProbe,
} from "./probes/tokens-not-words.js";
export { chartRows } from "./report/chart-rows.js";
export { formatMetric, isRateMetric } from "./report/format-metric.js";
export type { RenderHtmlOptions } from "./report/render-html.js";
export { escapeHtml, renderHtml } from "./report/render-html.js";
export { markdownTable, renderMarkdown } from "./report/render-markdown.js";
export type {
  ChartPoint,
  ChartSeries,
  ChartSpec,
  ReportMeta,
  ReportSection,
  ReportTable,
} from "./report/report-section.js";
export { parseResults, readResultsFile, writeResultsFile } from "./results-file.js";
export type { CliIo } from "./run-cli.js";
export { runCli } from "./run-cli.js";
export { isSkipped, runProbes } from "./run-probes.js";
export { answerMatches, answerNumber, extractMarkedAnswer } from "./scoring/answer-number.js";
export type { ExtractedNumber } from "./scoring/extract-numbers.js";
export { extractChoice, extractNumber, extractNumbers, numberMatches } from "./scoring/extract-numbers.js";
export { isRefusal, REFUSAL_PATTERNS } from "./scoring/is-refusal.js";
export { isSmallTalkReply, SMALL_TALK_PATTERNS } from "./scoring/is-small-talk-reply.js";
export type { IdentityConfig } from "./scoring/matches-identity.js";
export { DEFAULT_OTHER_IDENTITIES, matchesIdentity } from "./scoring/matches-identity.js";
