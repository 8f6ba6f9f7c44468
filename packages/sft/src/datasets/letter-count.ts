/**
 * Letter counting and spelling, the "how many r in strawberry?" family: easy for code, hard for a
 * model that sees tokens, not letters. Each task has two solutions: "tool" (a short JavaScript
 * expression between <|python_start|> and <|python_end|>, e.g. `"strawberry".split("r").length - 1`
 * for 'How many "r" are in "strawberry"?' and `" strawberry".split(" r".trim()).length - 1` for
 * the unquoted "How many r's are in strawberry?" (copyLiteral: the word's and the letter's tokens
 * as in the question),
 * whose output the engine injects, then "#### 3") and "direct" (the word spelled out with each
 * match numbered, e.g. "s-t-r(1)-a-w-b-e-r(2)-r(3)-y", then "#### 3"). Held-out words never
 * appear in training tasks.
 * Reference: nanochat's SpellingBee task (spell, count, check with a tool call).
 * Leaves out: case-sensitive counting and non-ASCII words.
 */
import type { Conversation, Message, Task } from "@llm/core";
import { Rng } from "@llm/core";
import { copyLiteral } from "./copy-literal.js";
import { varyTemplate } from "./question-variation.js";
import { WORDS } from "./words.js";

export type SolutionStyle = "tool" | "direct";

/**
 * How a tool solution writes the count: "split" is `" strawberry".split(" r".trim()).length - 1`
 * (`"strawberry".split("r").length - 1` for quoted words), "count" the sandbox helper
 * `count(" strawberry", " r")` (@llm/engine's SANDBOX_HELPERS, which trims both), the question's
 * chunks copied as they are in fewer tokens and no `.trim()` or `.length - 1` to get right.
 */
export type LetterCallForm = "split" | "count";

export interface LetterTaskConfig {
  /** Seed of the generator. Default 0. */
  seed?: number;
  /** Training tasks. Default 500. */
  count?: number;
  /** Held-out tasks. Default 50. */
  evalCount?: number;
  /** Words to draw from. Default: the built-in WORDS list. */
  words?: readonly string[];
  /** Share of words held out for eval. Default 0.2. */
  evalWordShare?: number;
  /** Question templates ({l} letter, {w} word). Default: two counting (or spelling) templates. */
  prompts?: string[];
  /**
   * Share of training counting tasks asked in one of LETTER_COUNT_PARAPHRASES (unquoted words,
   * "r's", other word orders) rewritten by varyTemplate (case, punctuation, typos, a context
   * sentence). Held-out tasks keep the templates. Those tasks carry `metadata.paraphrased: true`.
   * Default 0 (every task on the templates).
   */
  paraphraseShare?: number;
  /**
   * Training counting tasks ask, in equal shares, for a letter the word lacks, one it has once and
   * one it has more than once (where it has one), instead of 85% letters of the word (most of them
   * once). For RL: with most answers 1, "#### 1" whatever the tool says earns most of the reward.
   * Held-out tasks keep the default draw. Default false.
   */
  balancedCounts?: boolean;
  /**
   * Add LETTER_COUNT_MORE_PARAPHRASES to the bank the paraphrased share draws from (longer
   * requests, contractions, the word before the letter, polite and chatty forms). Default false.
   */
  moreParaphrases?: boolean;
}

/**
 * More ways to ask for a letter count ({l} letter, {w} word), for training. The tool call's string
 * literal copies an unquoted word with its leading space (copyLiteral), the same tokens as in the
 * question.
 */
export const LETTER_COUNT_PARAPHRASES: readonly string[] = [
  "How many {l}s are there in {w}?",
  "how many times does {l} occur in the word {w}?",
  "Count the {l}'s in {w}.",
  "In the word {w}, how many {l}'s do you see?",
  "Number of {l} in {w}?",
  "How often does the letter {l} show up in {w}?",
  "{w}: how many {l}'s?",
  "Can you count how many {l}'s the word {w} has?",
  "How many letter {l}s does {w} contain?",
  "Tell me how many times '{l}' appears in '{w}'.",
  "What's the count of {l} in {w}?",
  "How many {l} does {w} have?",
  'Count the letter {l} in the word "{w}".',
  "how many {l} in {w}",
  "I need the number of {l}'s in {w}.",
  "How many {l}'s can you find in the word {w}?",
  "The word {w} has how many {l}s?",
  "Letter {l} in {w}: how many times?",
];

/**
 * More learner phrasings for letter counting, for `moreParaphrases` (written for training; the
 * eval sets of @llm/probes are written apart).
 */
export const LETTER_COUNT_MORE_PARAPHRASES: readonly string[] = [
  "Could you tell me how many {l}'s there are in {w}?",
  "Please count the {l}'s in the word {w}.",
  "What is the number of {l}s in the word {w}?",
  "Does {w} have any {l}'s? How many?",
  "{w} has how many {l}'s in it?",
  "I wonder how many {l}'s are in {w}.",
  "Count how many times {l} appears in {w}, please.",
  "how many {l} letters in {w}?",
  "Hey, how many {l}'s are in the word {w}?",
  "In {w}, how many times do you see the letter {l}?",
  "What's the {l} count for {w}?",
  "Find the number of {l}'s in {w}.",
  "How many times is {l} in {w}?",
  "How many {l}s appear in the word {w}?",
  "So how many {l}'s does the word {w} contain?",
  "Tell me the number of {l}'s in {w}.",
  "Can you count the {l}'s in {w} for me?",
  "Word: {w}. Letter: {l}. How many?",
  "how often is {l} used in {w}?",
  "Check how many {l}'s are in {w}.",
  "Number of times {l} occurs in {w}?",
  "give me the count of {l} in {w}",
  "How many of the letters in {w} are {l}'s?",
];

// Word and letter are quoted in both templates so that they split into the same tokens in the
// question as in the tool call's string literals: the model then copies tokens instead of having to
// map " word" pieces onto "word" pieces (a lookup a small model learns slowly).
const countPrompts = [
  'How many "{l}" are in "{w}"?',
  'How many times does the letter "{l}" appear in "{w}"?',
];
const spellPrompts = ['Spell "{w}".', "How do you spell {w}?"];
const alphabet = "abcdefghijklmnopqrstuvwxyz";

/** Splits words into train and eval words, deterministically by seed. */
function splitWords(rng: Rng, words: readonly string[], share: number): { train: string[]; eval: string[] } {
  const shuffled = rng.shuffle([...new Set(words.map((w) => w.toLowerCase()))]);
  const n = Math.max(1, Math.round(shuffled.length * share));
  return { eval: shuffled.slice(0, n), train: shuffled.slice(n) };
}

function countTask(
  rng: Rng,
  word: string,
  split: string,
  index: number,
  templates: readonly string[],
  phrasing?: { rng: Rng; share: number; bank: readonly string[] },
  balanced = false,
): Task {
  const present = [...new Set(word)];
  const absent = () => rng.pick([...alphabet].filter((c) => !word.includes(c)));
  let letter: string;
  if (balanced) {
    const times = (c: string) => word.split(c).length - 1;
    const once = present.filter((c) => times(c) === 1);
    const more = present.filter((c) => times(c) > 1);
    const draw = rng.next();
    letter =
      draw < 1 / 3
        ? absent()
        : (draw < 2 / 3 && once.length > 0) || more.length === 0
          ? rng.pick(once)
          : rng.pick(more);
  } else letter = rng.next() < 0.85 ? rng.pick(present) : absent();
  const count = word.split(letter).length - 1;
  let template = rng.pick(templates);
  // a separate generator, so that the words and letters are the same whatever the phrasing
  const paraphrased = phrasing !== undefined && phrasing.rng.next() < phrasing.share;
  if (paraphrased) template = varyTemplate(phrasing.rng.pick(phrasing.bank), phrasing.rng);
  return {
    id: `letter-count-${split}-${index}`,
    kind: "letter-count",
    prompt: template.replaceAll("{l}", letter).replaceAll("{w}", word),
    answer: String(count),
    metadata: { word, letter, split, reward: "marker", ...(paraphrased ? { paraphrased: true } : {}) },
  };
}

/** Letter-counting tasks on disjoint train and eval words. */
export function letterCountTasks(config: LetterTaskConfig = {}): { train: Task[]; eval: Task[] } {
  const rng = new Rng(`letter-count:${config.seed ?? 0}`);
  const words = splitWords(rng, config.words ?? WORDS, config.evalWordShare ?? 0.2);
  const share = config.paraphraseShare ?? 0;
  const bank = config.moreParaphrases
    ? [...LETTER_COUNT_PARAPHRASES, ...LETTER_COUNT_MORE_PARAPHRASES]
    : LETTER_COUNT_PARAPHRASES;
  const phrasing =
    share > 0 ? { rng: new Rng(`letter-count-phrasing:${config.seed ?? 0}`), share, bank } : undefined;
  const make = (pool: string[], count: number, split: string, vary?: typeof phrasing, balanced = false) =>
    Array.from({ length: count }, (_, i) =>
      countTask(rng, rng.pick(pool), split, i, config.prompts ?? countPrompts, vary, balanced),
    );
  return {
    train: make(words.train, config.count ?? 500, "train", phrasing, config.balancedCounts ?? false),
    eval: make(words.eval, config.evalCount ?? 50, "eval"),
  };
}

/** Spelling tasks ("Spell strawberry." -> "#### s-t-r-a-w-b-e-r-r-y") on disjoint train and eval words. */
export function spellingTasks(config: LetterTaskConfig = {}): { train: Task[]; eval: Task[] } {
  const rng = new Rng(`spelling:${config.seed ?? 0}`);
  const words = splitWords(rng, config.words ?? WORDS, config.evalWordShare ?? 0.2);
  const make = (pool: string[], count: number, split: string): Task[] =>
    Array.from({ length: count }, (_, i) => {
      const word = rng.pick(pool);
      return {
        id: `spelling-${split}-${i}`,
        kind: "spelling",
        prompt: rng.pick(config.prompts ?? spellPrompts).replace("{w}", word),
        answer: word.split("").join("-"),
        metadata: { word, split, reward: "marker" },
      };
    });
  return {
    train: make(words.train, config.count ?? 200, "train"),
    eval: make(words.eval, config.evalCount ?? 20, "eval"),
  };
}

/** The direct solution's spelled-out count, e.g. "s-t-r(1)-a-w-b-e-r(2)-r(3)-y". */
export function spellWithCount(word: string, letter: string): string {
  let n = 0;
  return word
    .split("")
    .map((c) => (c === letter ? `${c}(${++n})` : c))
    .join("-");
}

/**
 * The letter of a counting call as the question writes it: `"r"` for 'How many "r" ...', and
 * `" r".trim()` for "How many r's ...", whose letter is the chunk " r" (copyLiteral): the call then
 * repeats the question's token instead of mapping " r" onto "r". The word is copied with its space
 * as it is (a space is not a letter, so the count is the same).
 */
function letterCode(question: string, letter: string): string {
  const literal = copyLiteral(question, letter);
  return literal.startsWith('" ') ? `${literal}.trim()` : literal;
}

/** The assistant (and tool) messages solving a letter-count or spelling task in the given style. */
export function letterTaskMessages(
  task: Task,
  style: SolutionStyle,
  call: LetterCallForm = "split",
): Message[] {
  const { word, letter } = task.metadata as { word: string; letter?: string };
  const counting = task.kind === "letter-count" && letter !== undefined;
  if (style === "direct") {
    const body = counting ? `${spellWithCount(word, letter)}\n#### ${task.answer}` : `#### ${task.answer}`;
    return [{ role: "assistant", content: body }];
  }
  const code = !counting
    ? `"${word}".split("").join("-")`
    : call === "count"
      ? `count(${copyLiteral(task.prompt, word)}, ${copyLiteral(task.prompt, letter)})`
      : `${copyLiteral(task.prompt, word)}.split(${letterCode(task.prompt, letter)}).length - 1`;
  return [
    { role: "assistant", content: "", toolCalls: [{ code }] },
    { role: "tool", content: task.answer },
    { role: "assistant", content: `#### ${task.answer}` },
  ];
}

/** SFT conversations for letter-count or spelling tasks; `call` is the tool solutions' form (default "split"). */
export function letterTaskConversations(
  tasks: readonly Task[],
  style: SolutionStyle = "tool",
  call: LetterCallForm = "split",
): Conversation[] {
  return tasks.map((task) => ({
    messages: [{ role: "user", content: task.prompt }, ...letterTaskMessages(task, style, call)],
    source: `${task.kind}-${style}`,
    metadata: { taskId: task.id, answer: task.answer },
  }));
}
