/**
 * preSplitter: the one function that cuts text into pre-split chunks for a pattern, used by
 * training (count-chunks.ts) and by the JS encoder (js-encoder.ts), so both cut alike. The
 * GPT-4 family of patterns goes through the hand-written scanner (gpt4-splitter.ts), any other
 * pattern through toJsRegExp's RegExp; both use tiktoken's own character classes.
 * Reference: tiktoken `CoreBPE::encode_ordinary` (regex `find_iter`). Leaves out: text between
 * matches, which tiktoken drops; none of the patterns we ship leaves any.
 */
import { gpt4FamilyDigits, splitGpt4 } from "./gpt4-splitter.js";
import { checkPattern, emptyMatch, toJsRegExp } from "./pattern.js";

/** Calls `emit(start, end)` for each chunk of `text`, in order. */
export type PreSplitter = (text: string, emit: (start: number, end: number) => void) => void;

/**
 * The splitter of `pattern` (tiktoken syntax). Throws INVALID_CONFIG for an invalid pattern or
 * one that can match the empty string (checkPattern; and at the text where it does).
 */
export function preSplitter(pattern: string): PreSplitter {
  const maxDigits = gpt4FamilyDigits(pattern);
  if (maxDigits > 0) return (text, emit) => splitGpt4(text, maxDigits, emit);
  checkPattern(pattern);
  const regex = toJsRegExp(pattern);
  return (text, emit) => {
    regex.lastIndex = 0;
    for (let match = regex.exec(text); match !== null; match = regex.exec(text)) {
      if (match[0].length === 0) throw emptyMatch(pattern, text.slice(match.index));
      emit(match.index, match.index + match[0].length);
    }
  };
}
