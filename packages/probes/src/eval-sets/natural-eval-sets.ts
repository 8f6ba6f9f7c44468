/**
 * The natural-phrasing eval sets as the probes' inputs: hand-written questions in the learner's own
 * words (natural-*.ts in this folder), one set per chat claim, each at least 100 prompts, written
 * apart from @llm/sft's generators and paraphrase banks. `naturalProbeInputs` gives every chat
 * probe its natural input (knowledge questions are filled in with the run's held-out entities);
 * `naturalPrompts` lists every prompt and frame for the test that keeps them out of training, and
 * `normalizePrompt` is the comparison that test uses. Reference: the "written apart from the
 * training generators" rule of the developers' guide. Leaves out: multi-turn prompts.
 */
import type { Task } from "@llm/core";
import { LlmError } from "@llm/core";
import type { IdentityPrompt } from "../probes/identity.js";
import { NATURAL_DECIMAL_ROWS } from "./natural-decimals.js";
import { NATURAL_IDENTITY_ROWS } from "./natural-identity.js";
import { NATURAL_KNOWLEDGE_FRAMES } from "./natural-knowledge.js";
import { NATURAL_LETTER_ROWS } from "./natural-letters.js";
import { NATURAL_SMALL_TALK_ROWS } from "./natural-small-talk.js";
import { NATURAL_WORD_COUNT_ROWS } from "./natural-word-count.js";

/** Lower case, punctuation and symbols dropped, spaces collapsed: "How many r's?" == "how many rs". */
export function normalizePrompt(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** Letter-counting tasks (answer: the count of the letter in the word). */
export function naturalLetterTasks(): Task[] {
  return NATURAL_LETTER_ROWS.map(([prompt, word, letter], i) => ({
    id: `natural-letter-${i}`,
    kind: "letter-count",
    prompt,
    answer: String(word.split(letter).length - 1),
    metadata: { word, letter, natural: true },
  }));
}

/** Decimal tasks: answer the larger number ("max") or the smaller ("min"); adversarial as the probe defines it. */
export function naturalDecimalTasks(): Task[] {
  return NATURAL_DECIMAL_ROWS.map(([prompt, a, b, want], i) => {
    const larger = Number(a) > Number(b) ? a : b;
    const smaller = larger === a ? b : a;
    const digits = (x: string) => (x.split(".")[1] ?? "").length;
    const longer = digits(a) > digits(b) ? a : digits(b) > digits(a) ? b : undefined;
    return {
      id: `natural-decimal-${i}`,
      kind: "decimal-compare",
      prompt,
      answer: want === "max" ? larger : smaller,
      metadata: {
        a: Number(a),
        b: Number(b),
        want,
        adversarial: longer !== undefined && Number(longer) < Number(longer === a ? b : a),
        natural: true,
      },
    };
  });
}

/** Identity prompts, English and Chinese. */
export function naturalIdentityPrompts(): IdentityPrompt[] {
  return NATURAL_IDENTITY_ROWS.map(([prompt, lang]) => ({ prompt, lang }));
}

/** Word-counting tasks (answer: the text's number of space-separated words). */
export function naturalWordCountTasks(): Task[] {
  return NATURAL_WORD_COUNT_ROWS.map(([prompt, text], i) => {
    if (!prompt.includes(text)) {
      throw new LlmError("INVALID_INPUT", `Natural word-count row ${i} does not contain its text.`, {
        input: prompt,
        hint: "Each row is [prompt, text] with the counted text inside the prompt.",
      });
    }
    return {
      id: `natural-word-count-${i}`,
      kind: "word-count",
      prompt,
      answer: String(text.trim().split(/\s+/).length),
      metadata: { text, natural: true },
    };
  });
}

/** Greetings and small talk (answer: the language; scored by isSmallTalkReply). */
export function naturalSmallTalkTasks(): Task[] {
  return NATURAL_SMALL_TALK_ROWS.map(([prompt, lang], i) => ({
    id: `natural-small-talk-${i}`,
    kind: "small-talk",
    prompt,
    answer: lang,
    metadata: { lang, natural: true },
  }));
}

type EntityKind = "person" | "town" | "river";

/** An entity's kind from its task: metadata.kind, else the template question's wording. */
function kindOf(task: Task): EntityKind {
  const kind = task.metadata?.kind;
  if (kind === "person" || kind === "town" || kind === "river") return kind;
  if (/river/i.test(task.prompt)) return "river";
  if (/known for/i.test(task.prompt)) return "town";
  return "person";
}

/**
 * Knowledge tasks in natural phrasing: every frame once for the known and once for the unknown
 * side, each time about the next held-out entity of that side whose kind fits the frame. The
 * answer and metadata are the entity's template task's (key fact, or "I don't know").
 */
export function naturalKnowledgeTasks(input: { known: readonly Task[]; unknown: readonly Task[] }): {
  known: Task[];
  unknown: Task[];
} {
  const side = (tasks: readonly Task[], label: string): Task[] => {
    if (tasks.length === 0) return [];
    const out: Task[] = [];
    const next: Record<string, number> = {};
    for (const [group, frames] of Object.entries(NATURAL_KNOWLEDGE_FRAMES)) {
      const pool = group === "any" ? [...tasks] : tasks.filter((t) => kindOf(t) === group);
      if (pool.length === 0) continue;
      for (const frame of frames) {
        const i = next[group] ?? 0;
        next[group] = i + 1;
        const task = pool[i % pool.length] as Task;
        const entity = String(task.metadata?.entity ?? "");
        out.push({
          ...task,
          id: `natural-${label}-${out.length}`,
          prompt: frame.replaceAll("{n}", entity),
          metadata: { ...task.metadata, natural: true, frame },
        });
      }
    }
    return out;
  };
  return { known: side(input.known, "known"), unknown: side(input.unknown, "unknown") };
}

/** Every natural prompt, and the knowledge frames with `{n}` in place of the name. */
export function naturalPrompts(): {
  letters: string[];
  decimals: string[];
  identity: string[];
  knowledge: string[];
  wordCount: string[];
  smallTalk: string[];
} {
  return {
    letters: NATURAL_LETTER_ROWS.map((r) => r[0]),
    decimals: NATURAL_DECIMAL_ROWS.map((r) => r[0]),
    identity: NATURAL_IDENTITY_ROWS.map((r) => r[0]),
    knowledge: Object.values(NATURAL_KNOWLEDGE_FRAMES).flat(),
    wordCount: NATURAL_WORD_COUNT_ROWS.map((r) => r[0]),
    smallTalk: NATURAL_SMALL_TALK_ROWS.map((r) => r[0]),
  };
}
