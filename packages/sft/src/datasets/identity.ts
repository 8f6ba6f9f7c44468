/**
 * Identity conversations: the assistant gives its name, maker, abilities and limits (all from
 * config) in English and Chinese, over many paraphrases of "who are you?", "what is your name?",
 * "who made you?", "what can you do?" and "what can't you do?". A seeded share of the paraphrases
 * is held out: those questions never appear in training and make the eval set, so the eval
 * measures whether the identity generalises beyond the memorised wording. Paraphrases that differ
 * only in case and punctuation ("Who are you?", "who are you") are held out together, and a share
 * of training prompts is rewritten in such casual forms (lower case, no closing punctuation), so
 * that a question typed without capitals or "?" is still an identity question. Answers are
 * templated and short so that a tiny model can learn them.
 * Reference: nanochat's identity conversations, "Deep Dive into LLMs" (the model's identity comes
 * from SFT data, not from self-knowledge).
 * Leaves out: multi-turn chit-chat and other languages.
 */
import type { Conversation, Task } from "@llm/core";
import { LlmError, Rng } from "@llm/core";
import { composeIdentityQuestion } from "./identity-phrases.js";
import { shortIdentityLine } from "./identity-short.js";
import { yesNoIdentityConversation } from "./identity-yes-no.js";

export interface IdentityConfig {
  /** The assistant's name. Default "Pebble". */
  name?: string;
  /** Who made it. Default "the llm-from-scratch project". */
  maker?: string;
  /** What it can do, as verb phrases. Default: answer simple questions, do small sums step by step, count letters with a tool. */
  abilities?: string[];
  /** What it cannot do, as verb phrases. Default: browse the web, remember past chats. */
  limits?: string[];
  /** Chinese name; default: the English name. */
  nameZh?: string;
  /** Chinese maker; default "llm-from-scratch 项目". */
  makerZh?: string;
  /** Chinese abilities. Default: 回答简单的问题, 一步一步做简单的计算, 用工具数字母. */
  abilitiesZh?: string[];
  /** Chinese limits. Default: 上网, 记住以前的对话. */
  limitsZh?: string[];
}

export interface IdentityDatasetConfig {
  /** Seed of the paraphrase split and of sampling. Default 0. */
  seed?: number;
  /** Training conversations. Default 300. */
  count?: number;
  /** Share of paraphrases held out for eval (drawn over groups that differ only in case and punctuation). Default 0.25. */
  evalShare?: number;
  /**
   * Share of training conversations whose question is rewritten in a casual form: lower case, no
   * closing punctuation, or both. 0 keeps every question as written. Default 0.3.
   */
  casualShare?: number;
  /**
   * Share of training questions after a greeting ("Hi! What's your name?", "你好！你是谁？"), so
   * that a question that opens with a greeting is still answered with the identity. Default 0.
   */
  greetingShare?: number;
  /**
   * Share of training questions composed from parts instead of the listed paraphrases
   * (composeIdentityQuestion: many core wordings with a lead-in and/or a tail, case and typos),
   * of the same kind and language as the paraphrase drawn. Default 0 (the listed paraphrases only).
   */
  composedShare?: number;
  /**
   * Share of training conversations replaced by a yes/no identity question ("are you Siri?", "did
   * Google make you?", "you're Nano, right?") answered with the assistant's identity
   * (yesNoIdentityConversation), in the drawn paraphrase's language. Default 0.
   */
  yesNoShare?: number;
  /**
   * A question that opens with a greeting (one of GREETING_LEADS, as greetingShare adds them, or
   * a listed paraphrase such as "Hi! Who are you?") is answered with a greeting first
   * ("Hi! I am Nano, ...", "你好！我是Nano，..."; GREETING_REPLIES), as a person greeted with a
   * question greets back. Default false (the identity answer alone).
   */
  greetBack?: boolean;
  /**
   * Share of training conversations whose question is a short line of the same kind and language
   * ("who dis", "ur name?", "who made u", "你是啥"; shortIdentityLine), answered with the identity:
   * the counterpart of small talk's short lines (SmallTalkConfig.shortShare). Default 0.
   */
  shortShare?: number;
}

/** Greetings a question may open with, by language (training only). */
const GREETING_LEADS: Record<Lang, readonly string[]> = {
  en: [
    "Hi! ",
    "Hey, ",
    "Hello there. ",
    "Good morning! ",
    "Hiya, ",
    "Hey there! ",
    "Good evening. ",
    "Hello again! ",
  ],
  zh: ["你好！", "嗨，", "早上好！", "您好，"],
};

/** The greeting an answer opens with, for each greeting a question may open with (greetBack). */
export const GREETING_REPLIES: Readonly<Record<string, string>> = {
  "Hi! ": "Hi! ",
  "Hey, ": "Hey! ",
  "Hello there. ": "Hello! ",
  "Good morning! ": "Good morning! ",
  "Hiya, ": "Hi! ",
  "Hey there! ": "Hey there! ",
  "Good evening. ": "Good evening! ",
  "Hello again! ": "Hello again! ",
  "你好！": "你好！",
  "嗨，": "你好！",
  "早上好！": "早上好！",
  "您好，": "您好！",
};

const GREETING_KEYS = Object.keys(GREETING_REPLIES);

export type IdentityQuestion = "who" | "name" | "maker" | "abilities" | "limits";

type Lang = "en" | "zh";

/** Paraphrases by question kind and language. The held-out share is drawn from each list. */
export const IDENTITY_PARAPHRASES: Record<IdentityQuestion, Record<Lang, string[]>> = {
  who: {
    en: [
      "Who are you?",
      "who are you",
      "Who are you exactly?",
      "Tell me about yourself.",
      "Introduce yourself.",
      "What are you?",
      "Can you introduce yourself?",
      "Please introduce yourself.",
      "Who am I talking to?",
      "What kind of assistant are you?",
      "Who is this?",
      "Tell me who you are.",
      "Describe yourself.",
      "Are you a person or a program?",
      "What exactly are you?",
      "Hi! Who are you?",
      "Hello, who are you?",
      "Could you tell me who you are?",
      "I'd like to know who you are.",
      "So, who are you?",
    ],
    zh: [
      "你是谁？",
      "你是谁",
      "请介绍一下你自己。",
      "介绍一下你自己。",
      "你是什么？",
      "你好，你是谁？",
      "能介绍一下自己吗？",
      "我在和谁说话？",
      "你是人还是程序？",
      "说说你自己吧。",
      "请问你是谁？",
      "你到底是谁？",
    ],
  },
  name: {
    en: [
      "What is your name?",
      "What's your name?",
      "Do you have a name?",
      "What should I call you?",
      "Tell me your name.",
      "What are you called?",
      "How should I address you?",
      "Your name, please?",
    ],
    zh: [
      "你叫什么名字？",
      "你的名字是什么？",
      "我该怎么称呼你？",
      "你有名字吗？",
      "请告诉我你的名字。",
      "你叫什么？",
    ],
  },
  maker: {
    en: [
      "Who made you?",
      "Who created you?",
      "Who built you?",
      "Who trained you?",
      "Where do you come from?",
      "Who is your creator?",
      "Who developed you?",
      "Which company made you?",
    ],
    zh: [
      "谁创造了你？",
      "谁训练了你？",
      "你是谁开发的？",
      "你来自哪里？",
      "谁制作了你？",
      "你的开发者是谁？",
    ],
  },
  abilities: {
    en: [
      "What can you do?",
      "What are you good at?",
      "How can you help me?",
      "What are your abilities?",
      "What do you do?",
      "What can you help with?",
      "What are your skills?",
    ],
    zh: ["你能做什么？", "你会什么？", "你能帮我做什么？", "你有什么能力？", "你擅长什么？"],
  },
  limits: {
    en: [
      "What can't you do?",
      "What are your limits?",
      "What are your limitations?",
      "Can you browse the web?",
      "What are you bad at?",
      "Is there anything you cannot do?",
      "What don't you know how to do?",
    ],
    zh: ["你不能做什么？", "你有什么局限？", "你能上网吗？", "你有什么限制？", "有什么是你做不到的？"],
  },
};

function resolve(config: IdentityConfig) {
  const name = config.name ?? "Pebble";
  return {
    name,
    maker: config.maker ?? "the llm-from-scratch project",
    abilities: config.abilities ?? [
      "answer simple questions",
      "do small sums step by step",
      "count letters with a tool",
    ],
    limits: config.limits ?? ["browse the web", "remember past chats"],
    nameZh: config.nameZh ?? name,
    makerZh: config.makerZh ?? "llm-from-scratch 项目",
    abilitiesZh: config.abilitiesZh ?? ["回答简单的问题", "一步一步做简单的计算", "用工具数字母"],
    limitsZh: config.limitsZh ?? ["上网", "记住以前的对话"],
  };
}

function list(items: readonly string[], conjunction = "and"): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} ${conjunction} ${items[items.length - 1]}`;
}

/** `value` when it is a share in [0, 1]; else a typed INVALID_CONFIG error naming `name`. */
function checkedShare(value: number, name: string, hint: string): number {
  if (!(value >= 0 && value <= 1)) {
    throw new LlmError("INVALID_CONFIG", `${name} must be between 0 and 1, got ${value}.`, {
      input: name,
      hint,
    });
  }
  return value;
}

/**
 * The templated answer to one kind of identity question. Every answer starts by giving the name, as
 * assistants introduce themselves, so that a paraphrase mistaken for another kind of question
 * still answers who the model is.
 */
export function identityAnswer(config: IdentityConfig, question: IdentityQuestion, lang: Lang): string {
  const c = resolve(config);
  if (lang === "zh") {
    const abilities = c.abilitiesZh.join("、");
    const limits = c.limitsZh.join("、");
    switch (question) {
      case "who":
        // Abilities and limits have their own questions: with them this answer is ~220 byte-level
        // tokens under a small English tokenizer, past a small model's context.
        return `我是${c.nameZh}，一个由${c.makerZh}训练的小型语言模型。`;
      case "name":
        return `我叫${c.nameZh}。`;
      case "maker":
        return `我是${c.nameZh}，由${c.makerZh}训练。`;
      case "abilities":
        return `我是${c.nameZh}。我可以${abilities}。`;
      case "limits":
        return `我是${c.nameZh}。我不能${limits}。`;
    }
  }
  switch (question) {
    case "who":
      return `I am ${c.name}, a small language model made by ${c.maker}. I can ${list(c.abilities)}. I cannot ${list(c.limits, "or")}.`;
    case "name":
      return `My name is ${c.name}.`;
    case "maker":
      return `I am ${c.name}, and I was made by ${c.maker}.`;
    case "abilities":
      return `I am ${c.name}. I can ${list(c.abilities)}.`;
    case "limits":
      return `I am ${c.name}. I cannot ${list(c.limits, "or")}.`;
  }
}

interface Split {
  question: IdentityQuestion;
  lang: Lang;
  prompt: string;
}

/** The key under which paraphrases count as one question: lower case, without punctuation or extra spaces. */
export function identityQuestionKey(prompt: string): string {
  return prompt
    .toLowerCase()
    .replace(/[\p{P}]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** A casual form of a question: lower case, no closing punctuation, or both (chosen by `rng`). */
export function casualForm(prompt: string, rng: Rng): string {
  const form = rng.int(3);
  const lowered = form === 1 ? prompt : prompt.toLowerCase();
  return form === 0 ? lowered : lowered.replace(/[\s\p{P}]+$/u, "");
}

function splitParaphrases(seed: number, evalShare: number): { train: Split[]; eval: Split[] } {
  const rng = new Rng(`identity-split:${seed}`);
  const train: Split[] = [];
  const evalSet: Split[] = [];
  for (const question of Object.keys(IDENTITY_PARAPHRASES) as IdentityQuestion[]) {
    for (const lang of ["en", "zh"] as const) {
      // Prompts that differ only in case and punctuation go to the same side of the split.
      const groups = new Map<string, string[]>();
      for (const prompt of IDENTITY_PARAPHRASES[question][lang]) {
        const key = identityQuestionKey(prompt);
        groups.set(key, [...(groups.get(key) ?? []), prompt]);
      }
      const keys = rng.shuffle([...groups.keys()]);
      const n = Math.max(1, Math.round(keys.length * evalShare));
      keys.forEach((key, i) => {
        for (const prompt of groups.get(key) ?? [])
          (i < n ? evalSet : train).push({ question, lang, prompt });
      });
    }
  }
  return { train, eval: evalSet };
}

function toTask(config: IdentityConfig, split: Split, index: number, splitName: string): Task {
  const c = resolve(config);
  const expected =
    split.question === "maker"
      ? split.lang === "zh"
        ? c.makerZh
        : c.maker
      : split.lang === "zh"
        ? c.nameZh
        : c.name;
  const answer =
    split.question === "abilities" || split.question === "limits"
      ? identityAnswer(config, split.question, split.lang)
      : expected;
  return {
    id: `identity-${splitName}-${index}`,
    kind: "identity",
    prompt: split.prompt,
    answer: answer.replace(/[。.]$/, ""),
    metadata: {
      question: split.question,
      lang: split.lang,
      split: splitName,
      reward: "contains",
      reference: identityAnswer(config, split.question, split.lang),
    },
  };
}

/** Identity tasks: one per paraphrase; eval tasks use only held-out paraphrases. Reward: the answer names the name (or maker). */
export function identityTasks(
  config: IdentityConfig = {},
  dataset: IdentityDatasetConfig = {},
): { train: Task[]; eval: Task[] } {
  const { train, eval: evalSplits } = splitParaphrases(dataset.seed ?? 0, dataset.evalShare ?? 0.25);
  return {
    train: train.map((s, i) => toTask(config, s, i, "train")),
    eval: evalSplits.map((s, i) => toTask(config, s, i, "eval")),
  };
}

/** Training and eval identity conversations (eval: each held-out paraphrase once). */
export function identityConversations(
  config: IdentityConfig = {},
  dataset: IdentityDatasetConfig = {},
): { train: Conversation[]; eval: Conversation[] } {
  const seed = dataset.seed ?? 0;
  const rng = new Rng(`identity:${seed}`);
  const { train, eval: evalSplits } = splitParaphrases(seed, dataset.evalShare ?? 0.25);
  const toConversation = (s: Split): Conversation => ({
    messages: [
      { role: "user", content: s.prompt },
      { role: "assistant", content: identityAnswer(config, s.question, s.lang) },
    ],
    source: "identity",
    metadata: { question: s.question, lang: s.lang },
  });
  const count = dataset.count ?? 300;
  const casualShare = checkedShare(
    dataset.casualShare ?? 0.3,
    "casualShare",
    "Use 0 to keep every question as written, or e.g. 0.3.",
  );
  const casual = new Rng(`identity-casual:${seed}`);
  // a generator of its own, so that the shares do not change the other draws
  const variation = new Rng(`identity-variation:${seed}`);
  const held = new Set(evalSplits.map((s) => identityQuestionKey(s.prompt)));
  const composedShare = checkedShare(
    dataset.composedShare ?? 0,
    "composedShare",
    "Use 0 for the listed paraphrases only, or e.g. 0.5.",
  );
  const composer = new Rng(`identity-composed:${seed}`);
  const yesNoShare = checkedShare(
    dataset.yesNoShare ?? 0,
    "yesNoShare",
    "Use 0 for no yes/no identity questions, or e.g. 0.15.",
  );
  const yesNo = new Rng(`identity-yes-no:${seed}`);
  const shortShare = checkedShare(
    dataset.shortShare ?? 0,
    "shortShare",
    "Use 0 for no short identity lines, or e.g. 0.1.",
  );
  const short = new Rng(`identity-short:${seed}`);
  const c = resolve(config);
  return {
    train: Array.from({ length: count }, (_, i) => {
      const split = i < train.length ? (train[i] as Split) : rng.pick(train);
      // Drawn for every conversation, so the share does not change which paraphrases are picked.
      const rewrite = casual.next() < casualShare;
      const casualPrompt = casualForm(split.prompt, casual);
      let prompt = rewrite ? casualPrompt : split.prompt;
      if (variation.next() < (dataset.greetingShare ?? 0)) {
        const lead = variation.pick(GREETING_LEADS[split.lang]);
        prompt = `${lead}${split.lang === "en" && !/^I\b/.test(prompt) ? prompt[0]?.toLowerCase() + prompt.slice(1) : prompt}`;
      }
      // a varied question never becomes a held-out one
      if (held.has(identityQuestionKey(prompt))) prompt = split.prompt;
      if (composedShare > 0 && composer.next() < composedShare) {
        const composed = composeIdentityQuestion(split.question, split.lang, composer);
        if (!held.has(identityQuestionKey(composed))) prompt = composed;
      }
      if (yesNoShare > 0 && yesNo.next() < yesNoShare) {
        const asked = yesNoIdentityConversation(c, split.lang, yesNo);
        if (!held.has(identityQuestionKey(asked.prompt)))
          return {
            messages: [
              { role: "user", content: asked.prompt },
              { role: "assistant", content: asked.answer },
            ],
            source: "identity",
            metadata: { question: "yes-no", lang: split.lang },
          };
      }
      if (shortShare > 0 && short.next() < shortShare) {
        const line = shortIdentityLine(split.question, split.lang, short);
        if (!held.has(identityQuestionKey(line))) prompt = line;
      }
      const conversation = toConversation({ ...split, prompt });
      // greetBack: the answer greets first when the question opens with a greeting
      const lead = dataset.greetBack ? GREETING_KEYS.find((l) => prompt.startsWith(l)) : undefined;
      if (lead !== undefined) {
        const answer = conversation.messages[1] as { role: "assistant"; content: string };
        answer.content = `${GREETING_REPLIES[lead] ?? ""}${answer.content}`;
      }
      return conversation;
    }),
    eval: evalSplits.map(toConversation),
  };
}
