/**
 * composeSmallTalk: greetings, how-are-yous, thanks, goodbyes and pleasantries put together from
 * parts, so that training sees hundreds of forms instead of a few dozen sentences: an opener or
 * a core phrase ("hey", "how's it going", "thanks so much"), and a lead-in or a tail ("Okay,",
 * "there", ", I'm Alex.", " for the help", the assistant's name), then an ending (!, ., ?, :),
 * nothing), sometimes a stretched greeting ("heyyy"), texting forms ("how r u") and the
 * learner's case and typos (varyTemplate). Every prompt has a lead-in or a tail (a how-are-you always a tail), so a bare
 * "Hello!" or "Hi, how are you?" is never a training prompt (the natural-phrasing eval set asks
 * those). Chinese prompts are composed the same way, short ones with a particle ("你好呀").
 * Reference: the conversational openings of OpenAssistant (oasst2) and nanochat's SmolTalk share.
 * Leaves out: multi-turn small talk, languages other than English and Chinese.
 */
import type { Rng } from "@llm/core";
import { textingForm, varyTemplate } from "./question-variation.js";
import type { SmallTalkKind } from "./small-talk.js";

interface Parts {
  /** The phrase that makes the kind. */
  cores: readonly string[];
  /** Words before it ("Okay, thanks"). */
  leads: readonly string[];
  /** Words after it (" there", " for the help", ", I'm Alex."); {name}: the assistant's name. */
  tails: readonly string[];
  /** Endings. */
  ends: readonly string[];
  /** Always a tail (a lead-in alone would make the commonest questions, "Hi, how are you?"). */
  tailAlways?: boolean;
}

const NAMES = [
  "Alex",
  "Maria",
  "Kenji",
  "Olu",
  "Lena",
  "Omar",
  "Grace",
  "Ravi",
  "Zoe",
  "Tomas",
  "Mei",
  "Jonas",
];

const ABOUT_ME = [
  ", I'm {user}.",
  ", it's {user} here.",
  ", {user} here.",
  ". I just woke up.",
  ". Back from lunch.",
  ". It's raining where I am.",
  ". Long week, huh?",
  ". Just checking in.",
  ", are you around?",
  ", anyone awake?",
  ". I'm here again.",
  ". Hope all is well.",
  ". Good to be here.",
  ". I had a busy morning.",
  ", {name}!",
  " {name}",
];

const ENGLISH: Record<SmallTalkKind, Parts> = {
  greeting: {
    cores: [
      "Hello",
      "Hi",
      "Hey",
      "Hiya",
      "Heya",
      "Howdy",
      "Greetings",
      "Good morning",
      "Good afternoon",
      "Good evening",
      "Morning",
      "Evening",
      "Yo",
      "Hallo",
      "Hullo",
      "Hi hi",
    ],
    leads: ["Oh,", "Well,", "Okay,", "Um,", "So,"],
    tails: [" there", " everyone", " pal", " mate", " folks", " robot", " chatbot", ...ABOUT_ME],
    ends: ["!", ".", "", "!!", " :)", "~", " :D"],
  },
  "how-are-you": {
    cores: [
      "how are you",
      "how are you doing",
      "how's it going",
      "how's your day going",
      "how have you been",
      "how are things going",
      "how do you do",
      "how's your week",
      "how are you holding up",
      "what's happening",
      "how's everything going",
      "you doing okay",
      "how goes it",
      "what's new",
      "what's up",
      "how are you feeling",
      "how's life treating you",
      "are you doing well",
      "how you doing",
      "you good",
      "are you okay",
    ],
    leads: ["Hello,", "Hi,", "Hey,", "Hiya,", "Good morning,", "Hey there,", "Hi {name},", "So,", "Okay,"],
    tails: [" today", " these days", " this morning", " this week", " {name}", " lately", " my friend"],
    ends: ["?", "?", "", "??", " :)"],
    tailAlways: true,
  },
  thanks: {
    cores: [
      "thank you",
      "thanks",
      "many thanks",
      "thanks so much",
      "thank you kindly",
      "cheers",
      "much obliged",
      "thanks heaps",
      "big thanks",
      "thanks a million",
      "thank you so much",
      "I appreciate your help",
      "I appreciate that",
    ],
    leads: ["Great,", "Nice,", "Okay,", "Cool,", "Brilliant,", "Lovely,", "Got it,", "Oh,", "Wow,"],
    tails: [
      " for the help",
      " for your help",
      ", that worked",
      ", you're great",
      " for explaining",
      ", that's what I needed",
      " again",
      " for that",
      ", this is useful",
      ", {name}",
      " for your time",
    ],
    ends: ["!", ".", "", "!!", " :)"],
  },
  goodbye: {
    cores: [
      "goodbye",
      "bye",
      "bye bye",
      "see you",
      "farewell",
      "catch you later",
      "talk soon",
      "so long",
      "cheerio",
      "take it easy",
      "see you around",
    ],
    leads: ["Okay,", "Alright,", "Well,", "I'm off,", "Time to go,", "That's all,", "I'm done,", "Thanks,"],
    tails: [
      " for now",
      " then",
      ", {name}",
      ", see you next time",
      ", I'm logging off",
      " everyone",
      " my friend",
    ],
    ends: ["!", ".", "", "!!"],
  },
  pleasantry: {
    cores: [
      "nice to meet you",
      "pleased to meet you",
      "glad to meet you",
      "lovely to meet you",
      "it's nice to chat with you",
      "I enjoy chatting with you",
      "you're fun to talk to",
      "I'm bored",
      "just dropping by to say hi",
      "I just wanted to chat",
      "have a great day",
      "have a lovely evening",
      "hope you have a good day",
      "happy weekend",
      "happy monday",
      "happy holidays",
      "I love chatting with you",
      "I'm glad I can talk to you",
      "talking to you is fun",
    ],
    leads: ["Hi,", "Hey,", "Well,", "Anyway,", "Oh,", "Hello {name},"],
    tails: [" too", ", {name}", " today", ", I'm {user}", " again", " my friend"],
    ends: ["!", ".", "", " :)"],
  },
};

const CHINESE: Record<SmallTalkKind, Parts> = {
  greeting: {
    cores: ["你好", "您好", "嗨", "哈喽", "早上好", "下午好", "晚上好", "大家好"],
    leads: ["嗯，", "那个，"],
    tails: [
      "，我又来了。",
      "，在吗？",
      "，今天天气不错。",
      "，我是{user}。",
      "，{name}！",
      "，好久不见。",
      "呀",
      "啊",
      "哇",
      "呀~",
    ],
    ends: ["！", "。", "", "~"],
  },
  "how-are-you": {
    cores: ["最近好吗", "今天过得好吗", "你还好吗", "最近忙吗", "你过得怎么样"],
    leads: ["你好，", "嗨，", "早上好，", "{name}，"],
    tails: ["，{name}", "，朋友", "呀", "啊"],
    ends: ["？", ""],
  },
  thanks: {
    cores: ["谢谢", "多谢", "非常感谢", "太感谢了", "谢谢你的帮助"],
    leads: ["好的，", "明白了，", "太好了，"],
    tails: ["，你真好", "，帮了大忙", "，{name}", "啦", "呀"],
    ends: ["！", "。", ""],
  },
  goodbye: {
    cores: ["再见", "回头见", "下次见", "明天见", "我先走了"],
    leads: ["好了，", "那就这样，", "谢谢，"],
    tails: ["，{name}", "，下次聊", "，祝你愉快", "啦", "咯"],
    ends: ["！", "。", ""],
  },
  pleasantry: {
    cores: ["很高兴认识你", "认识你很开心", "跟你聊天很开心", "祝你今天愉快", "周末愉快"],
    leads: ["你好，", "嗨，"],
    tails: ["，{name}", "，我是{user}"],
    ends: ["！", "。", ""],
  },
};

/**
 * How-are-yous asked as yes/no questions ("are you feeling alright"), by language: the "are you
 * ...?" shape of identity questions ("are you a bot?"), answered as small talk.
 */
const ARE_YOU_CORES: Record<"en" | "zh", readonly string[]> = {
  en: [
    "are you doing alright",
    "are you having a good day",
    "are you feeling alright",
    "are you in a good mood",
    "are you keeping well",
    "are you doing fine",
    "are you having a nice day",
    "are you all right",
    "are you feeling good",
    "are you happy",
    "are you having a good week",
    "are you holding up okay",
    "are things good with you",
    "is everything okay with you",
    "is your day going well",
    "are you feeling fine",
    "are you doing great",
    "are you having fun",
  ],
  zh: ["你今天开心吗", "你心情好吗", "你一切都好吗", "你今天还顺利吗", "你累不累"],
};

export interface ComposeOptions {
  /** The assistant's name, for "Hi Nano!". Default "there". */
  name?: string;
  /** Chinese instead of English. Default false. */
  chinese?: boolean;
  /** A how-are-you asked as a yes/no "are you ...?" question (ARE_YOU_CORES). Default false. */
  areYou?: boolean;
}

/** Stretches the last letter of a one-word greeting ("hey" -> "heyyy"). */
function stretch(word: string, rng: Rng): string {
  return word + (word.at(-1) ?? "").repeat(1 + rng.int(3));
}

/** One composed small-talk prompt of `kind`, deterministic by `rng`. */
export function composeSmallTalk(kind: SmallTalkKind, rng: Rng, options: ComposeOptions = {}): string {
  const parts = (options.chinese ? CHINESE : ENGLISH)[kind];
  let core =
    options.areYou && kind === "how-are-you"
      ? rng.pick(ARE_YOU_CORES[options.chinese ? "zh" : "en"])
      : rng.pick(parts.cores);
  // a lead-in, a tail or both; never the core alone
  const shape = parts.tailAlways ? 1 + rng.int(2) : rng.int(3);
  const lead = shape !== 1 ? rng.pick(parts.leads) : "";
  const tail = shape !== 0 ? rng.pick(parts.tails) : "";
  if (!options.chinese && kind === "greeting" && !core.includes(" ") && rng.next() < 0.15)
    core = stretch(core, rng);
  const sep = options.chinese ? "" : " ";
  const lowered =
    core.startsWith("I ") || core.startsWith("I'") ? core : core[0]?.toLowerCase() + core.slice(1);
  let text = lead === "" ? core[0]?.toUpperCase() + core.slice(1) : `${lead}${sep}${lowered}`;
  text += tail;
  // a tail that is a sentence brings its own ending
  if (!/[.!?。！？]$/u.test(text)) text += rng.pick(parts.ends);
  text = text.replaceAll("{name}", options.name ?? "there").replaceAll("{user}", rng.pick(NAMES));
  if (options.chinese) return text;
  if (rng.next() < 0.2) text = textingForm(text, rng);
  return varyTemplate(text, rng, { context: 0, typo: 0.12, lowerCase: 0.35 });
}
