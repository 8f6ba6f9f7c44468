/**
 * Yes/no identity questions: "so, are you Siri?", "did Google make you?", "you're Nano, right?",
 * answered with the assistant's own identity ("No. I am Nano, a small language model made by the
 * llm-from-scratch project."; "Yes, I am Nano, ..."), in English and Chinese. A small model that
 * learned "are you ...?" mostly from how-are-yous ("are you okay?") answers "are you a chatbot
 * like ChatGPT?" with "I'm doing well"; these rows put the other assistants' and makers' names
 * into the "are you ...?" shape with an identity answer. The answer never repeats the other name
 * (an identity probe counts a reply that names another assistant as wrong). Every prompt has a
 * lead-in, as composeIdentityQuestion's, so a bare "are you X?" is never a training prompt, then
 * the learner's case and typos (varyTemplate).
 * Reference: nanochat's identity conversations (the model's identity from SFT data).
 * Leaves out: follow-up turns, questions about other assistants' abilities.
 */
import type { Rng } from "@llm/core";
import { varyTemplate } from "./question-variation.js";

type Lang = "en" | "zh";

/** Other assistants a user may take this one for. */
const OTHER_ASSISTANTS = [
  "ChatGPT",
  "Siri",
  "Alexa",
  "Claude",
  "Gemini",
  "Copilot",
  "Cortana",
  "Llama",
  "GPT-4",
];
/** Other makers. */
const OTHER_MAKERS = [
  "OpenAI",
  "Google",
  "Meta",
  "Microsoft",
  "Apple",
  "Amazon",
  "Anthropic",
  "a big tech company",
];

/** Question forms by what they ask: {other} an assistant, {maker} a maker, {name} the own name. */
const FORMS: Record<Lang, { other: readonly string[]; maker: readonly string[]; own: readonly string[] }> = {
  en: {
    other: [
      "are you {other}",
      "is this {other}",
      "am I talking to {other}",
      "you're {other}, right",
      "are you actually {other}",
      "is this {other} or something else",
      "are you {other} in disguise",
      "are you the same as {other}",
      "are you a version of {other}",
      "aren't you {other}",
      "so you're basically {other}",
      "is this the {other} app",
    ],
    maker: [
      "did {maker} make you",
      "were you made by {maker}",
      "are you from {maker}",
      "did {maker} build you",
      "were you trained by {maker}",
      "do you belong to {maker}",
      "are you a {maker} product",
      "is {maker} behind you",
    ],
    own: [
      "are you {name}",
      "is this {name}",
      "you're {name}, right",
      "am I talking to {name}",
      "is your name {name}",
      "are you the assistant called {name}",
    ],
  },
  zh: {
    other: ["你是{other}吗", "这是{other}吗", "你就是{other}吧", "我是在和{other}聊天吗", "你是不是{other}"],
    maker: ["你是{maker}做的吗", "你是{maker}开发的吗", "{maker}训练了你吗", "你来自{maker}吗"],
    own: ["你是{name}吗", "你叫{name}吗", "我是在和{name}聊天吗"],
  },
};

const LEADS: Record<Lang, readonly string[]> = {
  en: [
    "Hey, quick check: ",
    "Hmm, ",
    "Wait a second, ",
    "I have to ask, ",
    "Be honest, ",
    "Just to be sure, ",
    "My sister says ",
    "Okay so ",
    "I'm confused. ",
    "Real talk: ",
    "One thing first: ",
    "Sorry, but ",
  ],
  zh: ["请问，", "等一下，", "说实话，", "我想确认一下，", "那个，", "好奇问问，"],
};

const ENDS: Record<Lang, readonly string[]> = {
  en: ["?", "?", "??", "", "? Just wondering."],
  zh: ["？", "？", "", "呀？"],
};

export interface YesNoIdentity {
  name: string;
  maker: string;
  nameZh: string;
  makerZh: string;
}

/** One yes/no identity question and its answer, in `lang`, deterministic by `rng`. */
export function yesNoIdentityConversation(
  identity: YesNoIdentity,
  lang: Lang,
  rng: Rng,
): { prompt: string; answer: string } {
  const draw = rng.next();
  const kind = draw < 0.55 ? "other" : draw < 0.85 ? "maker" : "own";
  const form = rng.pick(FORMS[lang][kind]);
  const name = lang === "zh" ? identity.nameZh : identity.name;
  const core = form
    .replace("{other}", rng.pick(OTHER_ASSISTANTS))
    .replace("{maker}", lang === "zh" ? rng.pick(OTHER_MAKERS.slice(0, -1)) : rng.pick(OTHER_MAKERS))
    .replace("{name}", name);
  const lead = rng.pick(LEADS[lang]);
  const end = rng.pick(ENDS[lang]);
  const answer =
    lang === "zh"
      ? kind === "own"
        ? `是的，我是${identity.nameZh}，一个由${identity.makerZh}训练的小型语言模型。`
        : kind === "maker"
          ? `不是，我是${identity.nameZh}，由${identity.makerZh}训练。`
          : `不是，我是${identity.nameZh}，一个由${identity.makerZh}训练的小型语言模型。`
      : kind === "own"
        ? `Yes, I am ${identity.name}, a small language model made by ${identity.maker}.`
        : kind === "maker"
          ? `No. I am ${identity.name}, and I was made by ${identity.maker}.`
          : `No. I am ${identity.name}, a small language model made by ${identity.maker}.`;
  if (lang === "zh") return { prompt: `${lead}${core}${end}`, answer };
  const body = /[.:]\s$/.test(lead) ? core[0]?.toUpperCase() + core.slice(1) : core;
  const prompt = varyTemplate(`${lead}${body}${end}`, rng, {
    context: 0,
    lowerCase: 0.35,
    dropPunctuation: 0.2,
    typo: 0.1,
  });
  return { prompt, answer };
}
