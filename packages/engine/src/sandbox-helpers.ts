/**
 * SANDBOX_HELPERS: the JavaScript source of the helper functions every tool-sandbox snippet can
 * call, defined in each fresh QuickJS context before the snippet runs. `count(text, letter)` is
 * the number of times `letter` occurs in `text`, both trimmed first and case ignored ("How many
 * r's in Rose?" is 1; the datasets' words are lower case, so their counts are the same): a
 * letter-counting call can then copy the question's chunks as they are, spaces included
 * (`count(" strawberry", " r")` for "How many r's are in strawberry?"), in fewer tokens than
 * `" strawberry".split(" r".trim()).length - 1`, which keeps working.
 * Reference: nanochat's calculator tool (a small fixed set of helpers the model learns to call).
 * Leaves out: overlapping matches (count("aaa", "aa") is 1) and locale-specific case rules.
 */
export const SANDBOX_HELPERS = `globalThis.count = function count(text, letter) {
  if (typeof text !== "string" || typeof letter !== "string")
    throw new TypeError('count(text, letter) needs two strings, e.g. count("strawberry", "r")');
  var needle = letter.trim();
  if (needle.length === 0) throw new RangeError("count(text, letter): letter is empty");
  return text.trim().toLowerCase().split(needle.toLowerCase()).length - 1;
};`;
