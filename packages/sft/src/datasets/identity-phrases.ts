/**
 * composeIdentityQuestion: identity questions ("who are you?", "what's your name?", "who made
 * you?", "what can you do?", "what can't you do?") put together from parts, so that training sees
 * hundreds of forms instead of the few dozen listed paraphrases: a core question in one of many
 * wordings, always with a lead-in (a greeting-free opener or a sentence of context: "ok, real question:",
 * "I'm new here.", "before we start,") and half the time a tail ("btw", "exactly", ", if you don't mind"),
 * then the learner's case and typos (varyTemplate). Every prompt has a lead-in, so a bare
 * core or a core with a tail only is never a training prompt (the natural-phrasing eval sets ask bare questions too).
 * The cores keep the words that make an identity question ("who", "name", "made", "can you do")
 * and never the words of a how-are-you ("how are you", "how's it going"), which have their own
 * small-talk rows.
 * Chinese questions are composed the same way (请问, 对了, 呀, 呢).
 * Reference: nanochat's identity conversations (many user phrasings of the same question).
 * Leaves out: texting forms ("who r u": 26B found they make eval prompts), multi-turn questions.
 */
import type { Rng } from "@llm/core";
import type { IdentityQuestion } from "./identity.js";
import { varyTemplate } from "./question-variation.js";

type Lang = "en" | "zh";

const CORES: Record<IdentityQuestion, Record<Lang, readonly string[]>> = {
  who: {
    en: [
      "who are you",
      "who am I chatting with",
      "who's this",
      "what are you",
      "who or what are you",
      "are you a bot",
      "are you an AI",
      "are you a human",
      "are you a real person",
      "what sort of thing are you",
      "tell me a bit about yourself",
      "say something about yourself",
      "give me a short introduction of yourself",
      "can you tell me what you are",
      "I want to know who you are",
      "would you introduce yourself",
      "what am I talking to",
      "are you a language model",
      "which assistant is this",
      "who is answering me",
    ],
    zh: [
      "你是谁",
      "你是什么",
      "你是机器人吗",
      "你是真人吗",
      "和我聊天的是谁",
      "简单介绍一下你自己",
      "你是哪个助手",
      "你是人工智能吗",
      "可以介绍一下你自己吗",
      "你是什么东西",
    ],
  },
  name: {
    en: [
      "what's your name",
      "what is your name",
      "do you have a name",
      "what do I call you",
      "what name do you go by",
      "tell me your name",
      "what's your name again",
      "got a name",
      "what do people call you",
      "have you got a name",
      "may I ask your name",
      "what should I call you",
    ],
    zh: ["你叫什么名字", "你的名字叫什么", "怎么称呼你", "你有名字吗", "你叫啥", "我应该叫你什么"],
  },
  maker: {
    en: [
      "who made you",
      "who built you",
      "who created you",
      "who trained you",
      "who is behind you",
      "who wrote you",
      "where were you made",
      "who programmed you",
      "which team made you",
      "who are your creators",
      "who designed you",
      "who owns you",
    ],
    zh: ["谁做了你", "你是谁做的", "谁训练的你", "你是哪里来的", "谁开发了你", "你的作者是谁"],
  },
  abilities: {
    en: [
      "what can you do",
      "what can you help me with",
      "what are you able to do",
      "what do you know how to do",
      "what kind of things can you do",
      "what jobs can you do",
      "what are you for",
      "how can you be useful",
      "what tasks can you handle",
      "what could you help me with",
    ],
    zh: ["你会做什么", "你能干什么", "你可以帮我什么", "你有什么本领", "你都会些什么"],
  },
  limits: {
    en: [
      "what can't you do",
      "what are you not able to do",
      "what is beyond you",
      "can you go on the internet",
      "do you have any limits",
      "what are your weak spots",
      "is there something you can't do",
      "can you remember our old chats",
      "what don't you do",
      "can you look things up online",
    ],
    zh: ["你做不到什么", "你不会什么", "你能不能上网", "你有哪些限制", "你能记住以前的聊天吗"],
  },
};

const LEADS: Record<Lang, readonly string[]> = {
  en: [
    "ok, real question: ",
    "So, ",
    "Quick one: ",
    "Before we start, ",
    "I'm new here. ",
    "Just wondering, ",
    "Out of curiosity, ",
    "Sorry, ",
    "Um, ",
    "Wait, ",
    "Okay, first things first: ",
    "My friend sent me this link. ",
    "I've never used this before. ",
    "Honest question: ",
    "Let me ask you something. ",
    "First question. ",
    "Alright, ",
    "I'm curious. ",
    "Can I ask, ",
    "Tell me, ",
  ],
  zh: ["请问", "对了，", "我想问一下，", "那个，", "我是新来的。", "好奇问一下，", "先问一下，", "说真的，"],
};

const TAILS: Record<Lang, readonly string[]> = {
  en: [
    " btw",
    " by the way",
    " exactly",
    " anyway",
    " then",
    ", if you don't mind",
    ", please",
    ", I'm curious",
    " again",
    " actually",
    " here",
    " in one sentence",
  ],
  zh: ["呀", "呢", "啊", "？说说看", "，我很好奇"],
};

const ENDS: Record<Lang, readonly string[]> = {
  en: ["?", "?", "??", "", ".", "? Thanks."],
  zh: ["？", "？", "", "。"],
};

function sentenceCase(text: string): string {
  return text.length > 0 ? (text[0] as string).toUpperCase() + text.slice(1) : text;
}

/**
 * One identity question of `question`'s kind, composed from a core wording, a lead-in and half the
 * time a tail, then varied in case, typos and closing punctuation.
 */
export function composeIdentityQuestion(question: IdentityQuestion, lang: Lang, rng: Rng): string {
  const core = rng.pick(CORES[question][lang]);
  // always a lead-in (a core with a tail alone, "你是谁啊", is a question learners type as is)
  const lead = rng.pick(LEADS[lang]);
  const tail = rng.next() < 0.5 ? rng.pick(TAILS[lang]) : "";
  const end = rng.pick(ENDS[lang]);
  if (lang === "zh") return `${lead}${core}${tail}${tail.endsWith("看") || tail.endsWith("奇") ? "" : end}`;
  // a lead-in ending a sentence starts the core with a capital
  const body = lead === "" || /[.:]\s$/.test(lead) ? sentenceCase(core) : core;
  const text = `${lead}${body}${tail}${end}`;
  return varyTemplate(text, rng, { context: 0, lowerCase: 0.35, dropPunctuation: 0.2, typo: 0.1 });
}
