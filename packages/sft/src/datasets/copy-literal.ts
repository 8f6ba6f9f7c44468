/**
 * copyLiteral: the JavaScript string literal a tool call uses for a word of the question, written
 * so that the word splits into the same tokens in the call as in the question. The GPT-4-style
 * pre-split pattern joins one leading non-letter to a run of letters, so in "How many r's are in
 * strawberry?" the word is the chunk " strawberry" (space first), in `"strawberry".split(...)` it
 * is `"strawberry` and in `search("Kalora")` it is `Kalora`: three chunks, and with a small
 * vocabulary three different first tokens (" st" vs "st", " K" vs "K"). A model then has to map
 * tokens onto other tokens instead of copying them. `" strawberry"` in the call is the chunk
 * `" strawberry` again (the quote is a chunk of its own), so the word's tokens are a plain copy;
 * letter counts and the corpus search are unchanged by the space (a space is not a letter, and
 * search() trims its query). A word the question quotes (`in "strawberry"`) is already
 * `"strawberry` there and in the call, and keeps its plain literal.
 * Reference: tiktoken's cl100k pre-split pattern (packages/tokenizer/src/pattern.ts).
 * Leaves out: other prefixes than a space (a word after "(" or "'" gets the plain literal), and
 * words the question does not contain (the plain literal).
 */

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The literal of `word` as the question writes it: `" word"` when a whole-word occurrence in
 * `question` follows a space (the letter of "can't count the t's" is the " t", not the "'t"), else
 * `"word"` (JSON string syntax, valid JavaScript).
 */
export function copyLiteral(question: string, word: string): string {
  const whole = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegex(word)}(?![\\p{L}\\p{N}])`, "gu");
  const spaced = [...question.matchAll(whole)].some((m) => m.index > 0 && question[m.index - 1] === " ");
  return JSON.stringify(spaced ? ` ${word}` : word);
}
