/**
 * Word counting, the "how many dots?" family of "Deep Dive into LLMs": a model cannot count many
 * things in the one forward pass that produces the answer's token, but it can if it writes the
 * count out first. Each template task lists 3-10 distinct words in quotes; the assistant answers in
 * one of two forms with the same content: "steps-first" (each word copied with its running number,
 * "whale 1 ship 2 sea 3", then "#### 3") or "answer-first" ("#### 3", then the same numbered
 * words). Every step is a copy and a "+1", which small models learn; the answer-first form must
 * count at once. Held-out word lists never appear in training (words may). The answer is on a
 * "#### <n>" line (extract-answer.ts).
 * With `paraphraseShare`, training tasks also ask, in many phrasings, about sentence-like texts
 * (word-count-sentence.ts), mostly unquoted. Their steps write each word exactly as it is cut into
 * pre-tokenizer chunks in the question: a word after a space is the chunk " the", so the steps
 * of "Count the words in: the cat sat" start with " the 1" (a leading space), while a quoted text's
 * first word has no space ("the 1"), so every copied word is the same tokens as in the question.
 * Reference: the counting examples of Karpathy's "Deep Dive into LLMs" ("models need tokens to
 * think"); chain-of-thought (Wei et al. 2022); GPT-4's pre-split pattern (@llm/tokenizer
 * pattern.ts). Leaves out: counting other things than words, punctuation inside the text.
 */
import type { Conversation, Task } from "@llm/core";
import { LlmError, Rng } from "@llm/core";
import { varyTemplate } from "./question-variation.js";
import { sentenceWords } from "./word-count-sentence.js";
import { WORDS } from "./words.js";
import { type ReasoningForm, workedAnswer, workedConversations } from "./worked-answer.js";

export interface WordCountConfig {
  /** Seed of the generator. Default 0. */
  seed?: number;
  /** Training tasks. Default 1000. */
  count?: number;
  /** Held-out tasks. Default 100. */
  evalCount?: number;
  /** Words to draw from. Default: the built-in WORDS list. */
  words?: readonly string[];
  /** Fewest and most words in a list. Default 3 and 10. */
  minWords?: number;
  maxWords?: number;
  /** Question templates with {q} for the quoted list. Default: two counting templates. */
  prompts?: string[];
  /**
   * Share of training tasks asked in one of WORD_COUNT_PARAPHRASES, rewritten by varyTemplate,
   * about a sentence-like text of 2 to maxWords words (function words, `sentenceWords`, repeats),
   * unquoted in 70% of them, as a learner writes it. Held-out tasks keep the templates and
   * distinct words. Default 0.
   */
  paraphraseShare?: number;
  /** Content words of the sentence-like texts. Default: `words` (all of them, however many). */
  sentenceWords?: readonly string[];
  /** Chance that a sentence word repeats an earlier one (`sentenceWords`'s repeatShare). Default 0.08. */
  repeatShare?: number;
  /**
   * Chance that a sentence-like text's first word (then a function word, mostly "the") comes back
   * later in it ("the dog ran to the park"; `sentenceWords`'s firstRepeatShare). Default 0.
   */
  firstRepeatShare?: number;
  /**
   * Chance that a sentence-like text opens with a capital "I", every other "i" of it written "I"
   * too ("I like green apples a lot"; `sentenceWords`'s firstPersonShare). Default 0.
   */
  firstPersonShare?: number;
  /**
   * Share of the other-phrasing tasks asked in WORD_COUNT_MORE_PARAPHRASES (more frames, some with
   * the text on its own line after the question). Default 0 (only WORD_COUNT_PARAPHRASES).
   */
  morePhrasingShare?: number;
  /**
   * Share of the other-phrasing tasks with the text before the question (WORD_COUNT_TEXT_FIRST:
   * "the cat sat on the mat\nHow many words is that?"), never quoted, no context sentence.
   * Default 0.
   */
  textFirstShare?: number;
  /**
   * Words per step: 1 (default) numbers every word ("the 1 cat 2 sat 3"); 3 copies three words
   * in one run and then the running count ("the cat sat 3 on the mat 6"), so that a repeated word
   * is copied next to the words before it ("on the"), which tell its occurrences apart. Every task
   * (template and held-out too) gets this form; the probes score only the "#### n" line.
   */
  stepChunk?: number;
  /**
   * Real sentences (e.g. `corpusSentences` of the run's corpus), for `textShare`: those of 2 to
   * maxWords words. Default: none.
   */
  texts?: readonly (readonly string[])[];
  /**
   * Share of the other-phrasing tasks whose text is one of `texts` (drawn uniformly), copied as it
   * is, instead of a sentence-like text. Default 0 (needs `texts` when above 0).
   */
  textShare?: number;
}

/**
 * More ways to ask for a word count ({q}: the words), for training. The question comes before the
 * text, so a model knows it is counting before it reads the words (with the text first, it took
 * short greetings for texts to count: "Hi friend!" -> "Hi 1 friend 2").
 */
export const WORD_COUNT_PARAPHRASES: readonly string[] = [
  "How many words does this have: {q}",
  "Count how many words are in the following: {q}",
  "Number of words in: {q}",
  "Word count please: {q}",
  "How many words? {q}",
  "Tell me how many words there are in {q}.",
  "Could you count the words here: {q}",
  "How many words are in this sentence: {q}",
  "Count the words in this text: {q}",
  "what's the word count of {q}",
  "Please count the words: {q}",
  "How many words in the phrase {q}?",
  "How many words make up {q}?",
  "Count each word of this sentence: {q}",
  "How long is this in words: {q}",
  "words in {q}?",
  "How many words are there here: {q}",
  "Give me the number of words in {q}.",
  "Could you tell me the word count: {q}",
  "How many separate words are in {q}?",
  "Count the words of the sentence {q}.",
  "How many words did I type? {q}",
  "I need to know how many words this is: {q}",
  "Count up the words: {q}",
  "Can you count the words in this sentence: {q}",
  "How many words are in the text {q}?",
  "Word count for this one: {q}",
  "So how many words are in {q}?",
  "What is the number of words in this line? {q}",
  "how many words does the following sentence contain: {q}",
];

/**
 * Further question-first frames ({q}: the text), for `morePhrasingShare`: texting forms, the text
 * on its own line, a question that names the text as a sentence, line, message or title.
 */
export const WORD_COUNT_MORE_PARAPHRASES: readonly string[] = [
  "how many words r in this: {q}",
  "Quick one, how many words is {q}",
  "count words: {q}",
  "Could you please tell me the number of words in this sentence? {q}",
  "What's the total word count here:\n{q}",
  "How many words are in the sentence below?\n{q}",
  "Word count?\n{q}",
  "Can u count how many words r in {q}",
  "How many words does my sentence have? It goes: {q}",
  "Count the number of words in {q} for me.",
  "how many words is this sentence {q}",
  "What is the word count of the sentence {q}?",
  "Please tell me how many words are in this line: {q}",
  "number of words?? {q}",
  "Count the words in the following sentence, please: {q}",
  "How many words are in my message:\n{q}",
  "Help me count the words in this title: {q}",
  "I have a sentence and I want its word count. The sentence is {q}",
  "How many words are in the line {q}?",
  "Count all the words, one by one: {q}",
  "Do you know how many words there are in {q}?",
  "Tell me the word count.\n{q}",
  "What's the number of words in the following line:\n{q}",
  "How many words would you say are in {q}?",
];

/** Frames with the text first ({q}: the text, at the start of the message), for `textFirstShare`. */
export const WORD_COUNT_TEXT_FIRST: readonly string[] = [
  "{q}\nHow many words is that?",
  "{q} - how many words?",
  "{q}. Count the words.",
  "{q}\nCount the words in that sentence.",
  "{q}\n\nword count?",
  "{q}\nhow many words are in the line above",
  "{q}. How many words are in this sentence?",
  "{q}\nCan you tell me how many words that has?",
  "{q} <- how many words is this",
  "{q}\nHow many words did I just write?",
  "{q}. What is its word count?",
  "{q}\nnumber of words?",
];

const promptTemplates = ["How many words are in this list: {q}?", "Count the words: {q}."];

/** Held-out eval tasks and disjoint training tasks, deterministic by seed. */
export function wordCountTasks(config: WordCountConfig = {}): { train: Task[]; eval: Task[] } {
  const rng = new Rng(`word-count:${config.seed ?? 0}`);
  const pool = [...new Set((config.words ?? WORDS).map((w) => w.toLowerCase()))];
  const min = config.minWords ?? 3;
  const max = config.maxWords ?? 10;
  if (!(Number.isInteger(min) && Number.isInteger(max) && min >= 1 && max >= min && pool.length >= max)) {
    throw new LlmError(
      "INVALID_CONFIG",
      "word counting needs 1 <= minWords <= maxWords <= the number of words",
      {
        input: `minWords=${min}, maxWords=${max}, words=${pool.length}`,
        hint: "Use e.g. minWords 3, maxWords 10 and a word list of at least maxWords words.",
      },
    );
  }
  const templates = config.prompts ?? promptTemplates;
  const seen = new Set<string>();
  const share = config.paraphraseShare ?? 0;
  const textFirstShare = config.textFirstShare ?? 0;
  const moreShare = config.morePhrasingShare ?? 0;
  const chunk = config.stepChunk ?? 1;
  if (!(Number.isInteger(chunk) && chunk >= 1)) {
    throw new LlmError(
      "INVALID_CONFIG",
      `word counting's stepChunk must be a whole number >= 1, got ${chunk}.`,
      {
        input: `stepChunk=${chunk}`,
        hint: "Use 1 (a number after every word) or e.g. 3 (a number after every three words).",
      },
    );
  }
  const phrasing = new Rng(`word-count-phrasing:${config.seed ?? 0}`);
  const textShare = config.textShare ?? 0;
  const realTexts = (config.texts ?? []).filter((t) => t.length >= 2 && t.length <= max);
  if (textShare > 0 && realTexts.length === 0) {
    throw new LlmError(
      "INVALID_CONFIG",
      `word counting's textShare ${textShare} needs texts of 2 to ${max} words, and none was given.`,
      {
        input: `textShare=${textShare}, texts=${config.texts?.length ?? 0}`,
        hint: "Pass texts (e.g. corpusSentences of a corpus), or set textShare to 0.",
      },
    );
  }
  const sentencePool = [
    ...new Set((config.sentenceWords ?? config.words ?? WORDS).map((w) => w.toLowerCase())),
  ];
  const make = (count: number, split: string): Task[] => {
    const tasks: Task[] = [];
    for (let attempts = 0; tasks.length < count && attempts < count * 50; attempts++) {
      // every count equally often, so that guessing the typical count does not pay
      const n = rng.range(min, max);
      const picked = rng.shuffle([...pool]).slice(0, n);
      let template = rng.pick(templates);
      let quote = '"';
      let words = picked;
      // a separate generator, so that the held-out lists are the same whatever the phrasing
      if (split === "train" && share > 0 && phrasing.next() < share) {
        // the knobs draw only when set, so that the default tasks are the same as before them
        const textFirst = textFirstShare > 0 && phrasing.next() < textFirstShare;
        const more = !textFirst && moreShare > 0 && phrasing.next() < moreShare;
        template = textFirst
          ? varyTemplate(phrasing.pick(WORD_COUNT_TEXT_FIRST), phrasing, { dropPunctuation: 0.4, context: 0 })
          : varyTemplate(
              phrasing.pick(more ? WORD_COUNT_MORE_PARAPHRASES : WORD_COUNT_PARAPHRASES),
              phrasing,
              {
                dropPunctuation: 0.4,
              },
            );
        const at = template.indexOf("{q}");
        // quoted only after a space: a quote at the start would join the first word's chunk
        quote = at > 0 && template[at - 1] === " " && phrasing.next() < 0.3 ? phrasing.pick(['"', "'"]) : "";
        // sentences from two words ("she smiled") up to the lists' most
        const real = textShare > 0 && phrasing.next() < textShare;
        words = real
          ? [...phrasing.pick(realTexts)]
          : sentenceWords(phrasing, sentencePool, phrasing.range(2, max), {
              ...(config.repeatShare !== undefined ? { repeatShare: config.repeatShare } : {}),
              ...(config.firstRepeatShare !== undefined ? { firstRepeatShare: config.firstRepeatShare } : {}),
              ...(config.firstPersonShare !== undefined ? { firstPersonShare: config.firstPersonShare } : {}),
            });
      }
      const key = words.join(" ");
      if (seen.has(key)) continue;
      seen.add(key);
      const prompt = template.replace("{q}", `${quote}${key}${quote}`);
      const at = prompt.indexOf(`${quote}${key}`);
      tasks.push({
        id: `word-count-${split}-${tasks.length}`,
        kind: "word-count",
        prompt,
        answer: String(words.length),
        // spaced: the first word follows a space, so its chunk (and the first step) is " word"
        metadata: {
          words,
          split,
          reward: "marker",
          spaced: quote === "" && prompt[at - 1] === " ",
          ...(chunk !== 1 ? { stepChunk: chunk } : {}),
        },
      });
    }
    return tasks;
  };
  const evalTasks = make(config.evalCount ?? 100, "eval");
  return { train: make(config.count ?? 1000, "train"), eval: evalTasks };
}

/**
 * The numbered words, e.g. "whale 1 ship 2 sea 3"; with `spaced` a leading space (" whale 1 ..."),
 * for a first word that follows a space in the question, so the first step is its chunk " whale".
 * With `chunk` words per step, the running count after each run of them ("whale ship 2 sea 3").
 */
export function wordCountSteps(words: readonly string[], spaced = false, chunk = 1): string {
  const steps: string[] = [];
  for (let i = 0; i < words.length; i += chunk) {
    const run = words.slice(i, i + chunk);
    steps.push(`${run.join(" ")} ${i + run.length}`);
  }
  return (spaced ? " " : "") + steps.join(" ");
}

const taskSteps = (task: Task): string =>
  wordCountSteps(
    task.metadata?.words as string[],
    task.metadata?.spaced === true,
    (task.metadata?.stepChunk as number | undefined) ?? 1,
  );

/** The assistant's answer to a word-counting task in the given form. */
export function wordCountAnswer(task: Task, form: ReasoningForm): string {
  return workedAnswer(taskSteps(task), task.answer, form);
}

/** SFT conversations for word-counting tasks. */
export function wordCountConversations(
  tasks: readonly Task[],
  form: ReasoningForm = "steps-first",
): Conversation[] {
  return workedConversations(tasks, form, "word-count", taskSteps);
}
