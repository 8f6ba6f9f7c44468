/**
 * Question variation for SFT training data: the way learners type. A question template (with
 * `{slot}` placeholders the generator fills afterwards) is rewritten by `varyTemplate`: lower case,
 * no closing punctuation, a typo in one of its own words (never inside a slot, so the word to
 * count or the numbers to compare stay exact), and sometimes a sentence of context before it
 * ("I'm helping my kid with homework."). The generators pass their paraphrase banks through it
 * for training tasks only; their held-out template tasks keep the plain templates, and the
 * natural-phrasing eval sets of @llm/probes are written apart from all of this.
 * `textingForm` writes a question as a text message ("how r u", "whats ur name").
 * Reference: nanochat's SpellingBee (many user phrasings of the same task). Leaves out: spelling
 * errors inside the slot values, other languages than English.
 */
import type { Rng } from "@llm/core";

/** Sentences a user may write before the question. Training only; the eval sets use their own. */
export const CONTEXT_SENTENCES: readonly string[] = [
  "Quick question.",
  "I'm helping my kid with homework.",
  "Settle an argument for me.",
  "This came up at lunch today.",
  "Sorry if this is a silly one.",
  "I need this for a quiz.",
  "My friend and I disagree about this.",
  "Here's one for you.",
  "I was wondering about something.",
  "Okay, next question.",
  "Just curious.",
  "For a crossword I'm doing:",
  "Can you check something for me?",
  "Help me out here.",
  "I'm testing you a bit.",
  "Random thought:",
];

export interface VariationOptions {
  /** Chance of lower-casing the whole template. Default 0.3. */
  lowerCase?: number;
  /** Chance of dropping the closing punctuation. Default 0.25. */
  dropPunctuation?: number;
  /** Chance of one typo (two neighbouring letters swapped, or one dropped) in a template word. Default 0.15. */
  typo?: number;
  /** Chance of a context sentence before the question. Default 0.2. */
  context?: number;
}

/** Splits a template into slot and text parts, so that changes never touch a slot. */
function parts(template: string): string[] {
  return template.split(/(\{[a-z]+\})/);
}

/** One typo in one word of at least 4 letters outside the slots; the template unchanged when none. */
function withTypo(template: string, rng: Rng): string {
  const pieces = parts(template);
  const candidates: Array<{ piece: number; start: number; word: string }> = [];
  pieces.forEach((piece, i) => {
    if (piece.startsWith("{")) return;
    for (const m of piece.matchAll(/[A-Za-z]{4,}/g))
      candidates.push({ piece: i, start: m.index, word: m[0] });
  });
  if (candidates.length === 0) return template;
  const { piece, start, word } = rng.pick(candidates);
  const at = 1 + rng.int(word.length - 2);
  const typo =
    rng.next() < 0.5
      ? word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2)
      : word.slice(0, at) + word.slice(at + 1);
  const text = pieces[piece] as string;
  pieces[piece] = text.slice(0, start) + typo + text.slice(start + word.length);
  return pieces.join("");
}

/** The template as a learner might type it; slots are kept as they are. */
export function varyTemplate(template: string, rng: Rng, options: VariationOptions = {}): string {
  let out = template;
  if (rng.next() < (options.typo ?? 0.15)) out = withTypo(out, rng);
  if (rng.next() < (options.context ?? 0.2)) out = `${rng.pick(CONTEXT_SENTENCES)} ${out}`;
  if (rng.next() < (options.lowerCase ?? 0.3))
    out = parts(out)
      .map((p) => (p.startsWith("{") ? p : p.toLowerCase()))
      .join("");
  if (rng.next() < (options.dropPunctuation ?? 0.25)) out = out.replace(/[?.!]+$/u, "");
  return out;
}

/** Texting forms: "how are you" -> "how r u", "what's" -> "whats". */
const TEXTING: ReadonlyArray<[RegExp, string]> = [
  [/\byou\b/gi, "u"],
  [/\bare\b/gi, "r"],
  [/\byour\b/gi, "ur"],
  [/\b(what|how|it|that)'s\b/gi, "$1s"],
];

/** The text in texting forms (each form applied or not, by `rng`). */
export function textingForm(text: string, rng: Rng): string {
  let out = text;
  for (const [pattern, replacement] of TEXTING) if (rng.next() < 0.6) out = out.replace(pattern, replacement);
  return out;
}
