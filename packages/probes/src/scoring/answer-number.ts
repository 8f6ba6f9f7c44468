/**
 * answerNumber: the number a reply gives as its answer. Our SFT data marks final answers with a
 * line "#### <answer>" (@llm/sft's ANSWER_MARKER); when a reply has that marker, the marked text is
 * the answer (its first number). Without a marker the reply's first or last number is taken (see
 * extract-numbers.ts). Reference: GSM8K's "####" convention, nanochat's extract_answer.
 * Leaves out: several markers in one reply (the first wins, as in @llm/sft).
 */
import { extractNumber, extractNumbers } from "./extract-numbers.js";

/**
 * The text after the first "####" up to the end of its line, trimmed, without a trailing period;
 * undefined when there is none. The same convention as @llm/sft's extractAnswer (a test checks
 * they agree), kept here so that scoring does not load the model stack.
 */
export function extractMarkedAnswer(text: string): string | undefined {
  const match = /####[ \t]*([^\n<]*)/.exec(text);
  if (!match) return undefined;
  const answer = (match[1] ?? "").trim().replace(/\.$/, "").trim();
  return answer === "" ? undefined : answer;
}

/** The marked answer's number when the reply has "####", else its first/last number. */
export function answerNumber(text: string, position: "first" | "last" = "last"): number | undefined {
  const marked = extractMarkedAnswer(text);
  if (marked !== undefined) return extractNumbers(marked)[0]?.value;
  return extractNumber(text, position);
}

/** Whether the reply's answer number equals `answer`. */
export function answerMatches(text: string, answer: string, position: "first" | "last" = "last"): boolean {
  const expected = Number(answer.replace(/,/g, ""));
  const got = answerNumber(text, position);
  return got !== undefined && Number.isFinite(expected) && Math.abs(got - expected) < 1e-9;
}
