/**
 * Greetings and small talk: "Hello there!" is answered with a greeting, "how's it going?" with a
 * friendly reply and an offer to help, "thanks!" with "You're welcome", not with the assistant's
 * identity or a tool call. A model fine-tuned only on tasks answers "Hello!" with whatever task
 * it knows best ("My name is Nano."). Deterministic by seed; a seeded share of the prompts of each
 * kind is held out for evaluation (`smallTalkTasks`, scored by @llm/probes' isSmallTalkReply).
 * Training prompts are the other listed prompts and, for `composedShare` of them, prompts composed
 * from parts (small-talk-phrases.ts: hundreds of forms, lower case, typos, the assistant's name,
 * Chinese), never one of the held-out prompts; with `shortShare`, some are short chat lines
 * (small-talk-short.ts: "tysm", "cya", "ok cool", "谢啦").
 * Reference: the conversational openings of OpenAssistant (oasst2) and nanochat's SmolTalk share.
 * Leaves out: multi-turn small talk.
 */
import type { Conversation, Task } from "@llm/core";
import { Rng } from "@llm/core";
import { identityQuestionKey } from "./identity.js";
import { varyTemplate } from "./question-variation.js";
import { composeOpener } from "./small-talk-openers.js";
import { composeSmallTalk } from "./small-talk-phrases.js";
import { ACKNOWLEDGEMENT_REPLIES, composeShortLine } from "./small-talk-short.js";

export type SmallTalkKind = "greeting" | "how-are-you" | "thanks" | "goodbye" | "pleasantry";

/** What users say, by kind (training and held-out prompts are drawn from these lists). */
export const SMALL_TALK_PROMPTS: Record<SmallTalkKind, readonly string[]> = {
  greeting: [
    "Hello there!",
    "Hi there.",
    "Hey there!",
    "Hiya!",
    "Good morning to you.",
    "Good afternoon, assistant!",
    "Good evening to you.",
    "Greetings!",
    "Hello, anyone there?",
    "Hi, I'm new here.",
    "Hey, good to see you.",
    "Hello again!",
    "Morning, assistant!",
    "Howdy!",
    "Yo!",
    "Hey hey, it's me!",
    "Hi assistant!",
    "Hello, friend.",
    "你好呀！",
    "早上好！",
  ],
  "how-are-you": [
    "How are you doing?",
    "How's it going?",
    "How are things?",
    "How is your day going?",
    "What's up?",
    "How have you been?",
    "Are you doing okay today?",
    "How do you feel today?",
    "Hi, how are you today?",
    "Hello! How's your day?",
    "你今天怎么样？",
  ],
  thanks: [
    "Thank you so much!",
    "Thanks a lot.",
    "Thanks for the help!",
    "Much appreciated.",
    "Cheers, thanks!",
    "Thank you, that helped.",
    "Great, thanks!",
    "谢谢你！",
  ],
  goodbye: [
    "Goodbye for today!",
    "Bye for now.",
    "See you later!",
    "I have to go now, bye.",
    "Talk to you soon!",
    "Good night, talk tomorrow!",
    "Catch you later.",
    "再见！",
  ],
  pleasantry: [
    "Nice to meet you, assistant!",
    "Pleased to meet you.",
    "It's nice to talk to you.",
    "You're pretty cool.",
    "I'm bored.",
    "Just saying hi.",
    "I just wanted to chat.",
    "Have a nice day!",
  ],
};

/** Replies by kind; a conversation takes one of them. */
const REPLIES: Record<SmallTalkKind, { en: readonly string[]; zh: string }> = {
  greeting: {
    en: [
      "Hello! How can I help you today?",
      "Hi! What can I do for you?",
      "Hello! Nice to see you. How can I help?",
    ],
    zh: "你好！有什么可以帮你的吗？",
  },
  "how-are-you": {
    en: [
      "I'm doing well, thanks for asking! How can I help you today?",
      "I'm good, thank you! What can I do for you?",
    ],
    zh: "我很好，谢谢！有什么可以帮你的吗？",
  },
  thanks: {
    en: ["You're welcome! Happy to help.", "You're welcome! Let me know if you need anything else."],
    zh: "不客气！很高兴能帮到你。",
  },
  goodbye: { en: ["Goodbye! Have a nice day.", "Bye! Talk to you soon."], zh: "再见！祝你有美好的一天。" },
  pleasantry: {
    en: [
      "Nice to meet you too! How can I help you today?",
      "Thanks! I'm happy to chat. What's on your mind?",
    ],
    zh: "很高兴认识你！有什么可以帮你的吗？",
  },
};

export interface SmallTalkConfig {
  /** Seed of the split and of sampling. Default 0. */
  seed?: number;
  /** Training conversations. Default 200. */
  count?: number;
  /** Share of each kind's prompts held out. Default 0.25. */
  evalShare?: number;
  /** Share of training prompts composed from parts (composeSmallTalk) instead of the lists. Default 0.6. */
  composedShare?: number;
  /** Share of the composed prompts in Chinese. Default 0.3 (identity has many Chinese questions). */
  chineseShare?: number;
  /** The assistant's name, used in some composed prompts ("Hi Nano!"). Default: none ("Hi there!"). */
  name?: string;
  /**
   * Share of the composed prompts that are how-are-yous asked as a yes/no "are you ...?" question
   * ("hey, are you feeling alright today?", composeSmallTalk's areYou), the shape identity
   * questions share ("are you a bot?"). Default 0.
   */
  areYouShare?: number;
  /**
   * Share of how-are-you replies that also give the assistant's name ("I'm good, thank you! I'm
   * Nano. What can I do for you?"), as the greetings do half the time; needs `name`. Default 0.
   */
  howAreYouNameShare?: number;
  /**
   * Share of the composed prompts that are other chat openings (composeOpener: "hey, you there?",
   * "hi, my name's Sam.", "I just finished my shift.", "happy new year!"), answered as greetings
   * and pleasantries. Default 0.
   */
  openerShare?: number;
  /**
   * Share of the composed prompts that are short chat lines of one to three words (composeShortLine:
   * "tysm", "cya", "heyo", "u good?", "ok cool", "谢啦", "拜拜啦"), answered as small talk; the
   * same `chineseShare` of them in Chinese. Acknowledgements ("ok", "lol") are answered with an
   * offer to help. Default 0.
   */
  shortShare?: number;
}

const isChinese = (text: string) => /\p{Script=Han}/u.test(text);

function split(seed: number, evalShare: number) {
  const rng = new Rng(`small-talk-split:${seed}`);
  const train: Array<{ kind: SmallTalkKind; prompt: string }> = [];
  const evalSet: Array<{ kind: SmallTalkKind; prompt: string }> = [];
  for (const kind of Object.keys(SMALL_TALK_PROMPTS) as SmallTalkKind[]) {
    const prompts = rng.shuffle([...SMALL_TALK_PROMPTS[kind]]);
    const n = Math.max(1, Math.round(prompts.length * evalShare));
    prompts.forEach((prompt, i) => {
      (i < n ? evalSet : train).push({ kind, prompt });
    });
  }
  return { train, eval: evalSet };
}

/**
 * The reply to a small-talk prompt of `kind` (Chinese prompts get the Chinese reply). With `name`,
 * half the greetings also say it ("Hello! I'm Nano. How can I help you today?"), as an assistant
 * introduces itself, so that "Hi, who are you?" answered as a greeting still names it.
 */
export function smallTalkReply(
  kind: SmallTalkKind,
  prompt: string,
  rng: Rng,
  name?: string,
  howAreYouNameShare = 0,
): string {
  const reply = isChinese(prompt) ? REPLIES[kind].zh : rng.pick(REPLIES[kind].en);
  if (name === undefined) return reply;
  if (kind === "how-are-you" && howAreYouNameShare > 0) {
    if (rng.next() >= howAreYouNameShare) return reply;
    if (isChinese(prompt)) return `我很好，谢谢！我是${name}，有什么可以帮你的吗？`;
  } else if (kind !== "greeting" || rng.next() < 0.5) return reply;
  else if (isChinese(prompt)) return `你好！我是${name}，有什么可以帮你的吗？`;
  const cut = reply.indexOf("!") + 1;
  return `${reply.slice(0, cut)} I'm ${name}.${reply.slice(cut)}`;
}

/** Training conversations (English prompts varied in case, punctuation and typos) and held-out ones. */
export function smallTalkConversations(config: SmallTalkConfig = {}): {
  train: Conversation[];
  eval: Conversation[];
} {
  const seed = config.seed ?? 0;
  const parts = split(seed, config.evalShare ?? 0.25);
  const rng = new Rng(`small-talk:${seed}`);
  const conversation = (kind: SmallTalkKind, prompt: string, reply?: string): Conversation => ({
    messages: [
      { role: "user", content: prompt },
      {
        role: "assistant",
        content: reply ?? smallTalkReply(kind, prompt, rng, config.name, config.howAreYouNameShare ?? 0),
      },
    ],
    source: "small-talk",
    metadata: { kind },
  });
  const held = new Set(parts.eval.map((p) => identityQuestionKey(p.prompt)));
  // how-are-you twice as often: "how are you" is one letter from "who are you"
  const kinds: SmallTalkKind[] = [...(Object.keys(SMALL_TALK_PROMPTS) as SmallTalkKind[]), "how-are-you"];
  const composed = new Rng(`small-talk-composed:${seed}`);
  const composedShare = config.composedShare ?? 0.6;
  const areYouShare = config.areYouShare ?? 0;
  const areYou = new Rng(`small-talk-are-you:${seed}`);
  const openerShare = config.openerShare ?? 0;
  const openers = new Rng(`small-talk-openers:${seed}`);
  const shortShare = config.shortShare ?? 0;
  const short = new Rng(`small-talk-short:${seed}`);
  const train = Array.from({ length: config.count ?? 200 }, () => {
    if (composed.next() < composedShare) {
      if (shortShare > 0 && short.next() < shortShare) {
        for (;;) {
          const line = composeShortLine(short, {
            chineseShare: config.chineseShare ?? 0.3,
            ...(config.name ? { name: config.name } : {}),
          });
          if (held.has(identityQuestionKey(line.prompt))) continue;
          const reply = line.ack
            ? isChinese(line.prompt)
              ? ACKNOWLEDGEMENT_REPLIES.zh
              : short.pick(ACKNOWLEDGEMENT_REPLIES.en)
            : undefined;
          return conversation(line.kind, line.prompt, reply);
        }
      }
      if (openerShare > 0 && openers.next() < openerShare) {
        for (;;) {
          const { kind, prompt } = composeOpener(openers, config.name);
          if (!held.has(identityQuestionKey(prompt))) return conversation(kind, prompt);
        }
      }
      if (areYouShare > 0 && areYou.next() < areYouShare) {
        const chinese = areYou.next() < (config.chineseShare ?? 0.3);
        for (;;) {
          const prompt = composeSmallTalk("how-are-you", areYou, {
            chinese,
            areYou: true,
            ...(config.name ? { name: config.name } : {}),
          });
          if (!held.has(identityQuestionKey(prompt))) return conversation("how-are-you", prompt);
        }
      }
      const kind = composed.pick(kinds);
      const chinese = composed.next() < (config.chineseShare ?? 0.3);
      for (;;) {
        const prompt = composeSmallTalk(kind, composed, {
          chinese,
          ...(config.name ? { name: config.name } : {}),
        });
        if (!held.has(identityQuestionKey(prompt))) return conversation(kind, prompt);
      }
    }
    const { kind, prompt } = rng.pick(parts.train);
    const asked = isChinese(prompt) ? prompt : varyTemplate(prompt, rng, { context: 0, typo: 0.1 });
    return conversation(kind, asked);
  });
  return { train, eval: parts.eval.map(({ kind, prompt }) => conversation(kind, prompt)) };
}

/** The held-out prompts as Tasks (answer: the kind; scored by whether the reply is small talk). */
export function smallTalkTasks(config: SmallTalkConfig = {}): { train: Task[]; eval: Task[] } {
  const parts = split(config.seed ?? 0, config.evalShare ?? 0.25);
  const task = (s: { kind: SmallTalkKind; prompt: string }, i: number, name: string): Task => ({
    id: `small-talk-${name}-${i}`,
    kind: "small-talk",
    prompt: s.prompt,
    answer: s.kind,
    metadata: { kind: s.kind, lang: isChinese(s.prompt) ? "zh" : "en", reward: "small-talk" },
  });
  return {
    train: parts.train.map((s, i) => task(s, i, "train")),
    eval: parts.eval.map((s, i) => task(s, i, "eval")),
  };
}
