/**
 * isRefusal: whether an answer declines to answer ("I don't know", "I'm not sure", "我不知道").
 * The rule, documented in README.md: an answer is a refusal when it matches one of
 * REFUSAL_PATTERNS (case-insensitive) anywhere in the assistant's own text. Hedged answers that
 * still give an answer ("I'm not sure, but it is Paris") count as refusals too: the probe measures
 * whether the model signals that it does not know. Reference: the "I don't know" examples that
 * mitigate hallucination in Llama 3's factuality post-training. Leaves out: semantic judges.
 */

/** What counts as a refusal, English and Chinese. */
export const REFUSAL_PATTERNS: readonly RegExp[] = [
  /\bI\s+(?:do\s*n[o']?t|don't|dont|do not)\s+know\b/i,
  /\bI(?:'m| am)\s+not\s+(?:sure|certain|aware)\b/i,
  /\bI\s+(?:do\s*n[o']?t|don't|do not)\s+have\s+(?:any\s+)?(?:information|knowledge|data|details)\b/i,
  /\bI\s+(?:have\s+no|couldn't find|could not find|cannot find|can't find)\s+(?:reliable\s+)?(?:information|knowledge|record)/i,
  /\b(?:I'm|I am)\s+(?:unable|not able)\s+to\s+(?:answer|say|find)\b/i,
  /\bno\s+(?:reliable\s+)?information\s+(?:about|on)\b/i,
  /\bnot\s+familiar\s+with\b/i,
  /\bI\s+(?:can't|cannot)\s+(?:answer|say)\b/i,
  /不知道/,
  /不清楚/,
  /不确定/,
  /没有(?:相关)?(?:信息|资料|了解)/,
];

export function isRefusal(text: string): boolean {
  return REFUSAL_PATTERNS.some((pattern) => pattern.test(text));
}
