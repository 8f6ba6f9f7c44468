/**
 * shortIdentityLine: identity questions typed as a short line of one to four words ("who dis",
 * "ur name?", "u a bot", "who made u", "wat can u do", "你是啥"), by question kind and language.
 * Short small-talk lines (small-talk-short.ts) teach that a short line is small talk; without short
 * identity lines too, a model answers a short identity question with "Goodbye!" or "I'm doing
 * well". These lists are written for training, apart from @llm/probes' natural-phrasing sets
 * (apps/pipeline's natural-eval leak test checks every line), varied only in case and closing
 * punctuation.
 * Reference: nanochat's identity conversations. Leaves out: typos (a typo in a short line makes
 * another word).
 */
import type { Rng } from "@llm/core";
import type { IdentityQuestion } from "./identity.js";

type Lang = "en" | "zh";

/** Short identity lines by question kind and language. */
export const SHORT_IDENTITY_LINES: Record<IdentityQuestion, Record<Lang, readonly string[]>> = {
  who: {
    en: [
      "who dis",
      "whos this",
      "wat r u",
      "u a bot",
      "u human",
      "u real",
      "u an ai",
      "who am i talking 2",
      "bot or human",
      "r u a robot",
      "what even r u",
      "tell me bout u",
    ],
    zh: ["你是啥", "你谁呀", "你是机器人不", "你是真人不"],
  },
  name: {
    en: [
      "ur name",
      "name pls",
      "ur name pls",
      "what r u called",
      "wats ur name",
      "got a name",
      "whats ur name bot",
      "name plz",
    ],
    zh: ["你叫啥名", "名字是啥", "怎么叫你呀"],
  },
  maker: {
    en: ["who built u", "ur maker", "who trained u", "who coded u", "made by who", "who owns u"],
    zh: ["谁做的你呀", "谁造的你", "你哪来的呀"],
  },
  abilities: {
    en: [
      "wat can u do",
      "what u good at",
      "ur skills",
      "what can u do bot",
      "u any good at math",
      "can u help me",
    ],
    zh: ["你会啥", "你能干啥", "你有啥本事"],
  },
  limits: {
    en: ["can u browse", "can u google", "u remember me", "any limits", "what cant u do"],
    zh: ["你能上网不", "你记得我吗", "你有啥不会的"],
  },
};

/** One short identity line of `question`'s kind in `lang`, deterministic by `rng`. */
export function shortIdentityLine(question: IdentityQuestion, lang: Lang, rng: Rng): string {
  const text = rng.pick(SHORT_IDENTITY_LINES[question][lang]);
  if (lang === "zh") return text + rng.pick(["", "？", "?"]);
  const cased = rng.next() < 0.4 ? (text[0]?.toUpperCase() ?? "") + text.slice(1) : text;
  return cased + rng.pick(["", "?", "??", "?!"]);
}
