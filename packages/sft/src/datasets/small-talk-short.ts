/**
 * composeShortLine: the one- to three-word chat lines people type ("tysm", "cya", "heyo", "u good?",
 * "ok cool", "谢啦", "拜拜啦"), English and Chinese, each with its small-talk kind. A model tuned on
 * tasks sends such a line to a tool (search("thx"), a word count of "bye") or answers with its
 * identity, since every other short prompt it saw was an identity question ("你是谁"); these rows
 * answer them as small talk. Acknowledgements ("ok", "cool", "lol") have no kind of their own:
 * they are pleasantries answered with an offer to help (ACKNOWLEDGEMENT_REPLIES). Unlike
 * composeSmallTalk's prompts these are bare lines, so the lists hold only forms written for
 * training (texting spellings, two-word forms), varied in case and closing punctuation and never
 * in typos (a typo in one word makes another word); apps/pipeline's natural-eval leak test checks
 * that none is a natural-phrasing eval prompt.
 * Reference: the short conversational turns of OpenAssistant (oasst2) and nanochat's SmolTalk share.
 * Leaves out: emoji-only lines, languages other than English and Chinese.
 */
import type { Rng } from "@llm/core";
import type { SmallTalkKind } from "./small-talk.js";

/** Short English lines by kind; "ack" lines are acknowledgements ("ok", "cool"). {name}: the assistant's name. */
const SHORT_EN: Record<SmallTalkKind | "ack", readonly string[]> = {
  greeting: [
    "heya",
    "heyo",
    "hai",
    "hey u",
    "hi all",
    "hi again",
    "gm",
    "morning all",
    "evening all",
    "yo yo",
    "oi",
    "hello hello",
    "ahoy",
    "g'day",
    "hey y'all",
    "hi bot",
    "hey {name}",
    "hi {name}",
    "hullo there",
    "heya pal",
  ],
  "how-are-you": [
    "hru",
    "how r u doing",
    "how u doin",
    "u ok",
    "u good",
    "how's things",
    "hows u",
    "whats good",
    "whats cooking",
    "how ya been",
    "how's it hanging",
    "you alright",
    "all good",
    "how goes",
    "how's ur day",
    "how's tricks",
    "you ok {name}",
    "how's the day",
  ],
  thanks: [
    "thanx",
    "thnx",
    "tysm",
    "thank u",
    "thanks much",
    "thanks loads",
    "thankyou",
    "thx so much",
    "many thx",
    "ty so much",
    "thank u so much",
    "cheers mate",
    "much thanks",
    "ok thx",
    "ok ty",
    "kk thanks",
    "thanks bud",
    "ta very much",
    "thx again",
    "tyvm",
    "appreciate it",
    "thx {name}",
  ],
  goodbye: [
    "cya",
    "bye now",
    "byee",
    "bye bye",
    "ttyl",
    "gtg",
    "gotta run",
    "see u",
    "laters",
    "peace out",
    "nite",
    "gn",
    "bye all",
    "ok bye",
    "cya later",
    "see ya later",
    "good nite",
    "im off",
    "ciao",
    "got to go",
    "bbl",
    "bye {name}",
  ],
  pleasantry: ["ur nice", "ur fun", "u rock", "love u bot", "ur the best", "nice bot", "good bot"],
  ack: [
    "ok",
    "okay",
    "cool",
    "nice",
    "lol",
    "haha",
    "kk",
    "got it",
    "sweet",
    "awesome",
    "alright",
    "sounds good",
    "neat",
    "wow",
    "nice one",
    "ok cool",
    "fair enough",
    "makes sense",
    "i see",
    "hmm ok",
  ],
};

/** Short Chinese lines by kind (none of them a bare core of composeSmallTalk's, e.g. 你好). */
const SHORT_ZH: Record<SmallTalkKind | "ack", readonly string[]> = {
  greeting: [
    "你好哇",
    "嗨嗨",
    "哈喽哈喽",
    "早安呀",
    "早安啊",
    "早呀",
    "在吗",
    "在不在",
    "大家早",
    "晚上好呀",
    "晚上好啊",
    "您好呀",
    "嗨呀",
  ],
  "how-are-you": [
    "最近如何",
    "过得好吗",
    "一切都好吗",
    "最近还好吗",
    "你还好吧",
    "今天咋样",
    "你好吗朋友",
    "你最近好吗",
    "最近怎么样啊",
    "最近怎么样呀",
  ],
  thanks: ["谢啦", "多谢啦", "谢谢啦", "感谢感谢", "谢谢你呀", "辛苦啦"],
  goodbye: ["拜拜啦", "拜拜咯", "回见", "晚安", "晚安啦", "溜了", "下次见啦", "拜了", "先撤了"],
  pleasantry: ["你真好", "你真棒", "你好可爱"],
  ack: ["好的", "嗯嗯", "好吧", "哈哈", "明白了", "知道了"],
};

/** Replies to acknowledgements, by language: an offer to help (what isSmallTalkReply counts). */
export const ACKNOWLEDGEMENT_REPLIES: { en: readonly string[]; zh: string } = {
  en: ["Great! Anything else I can help you with?", "Glad to help! What else can I do for you?"],
  zh: "好的！还有什么可以帮你的吗？",
};

export interface ShortLine {
  /** The small-talk kind answered (acknowledgements: "pleasantry"). */
  kind: SmallTalkKind;
  /** Whether the line is an acknowledgement ("ok", "cool"), answered with ACKNOWLEDGEMENT_REPLIES. */
  ack: boolean;
  prompt: string;
}

/** Every short line (English then Chinese) before variation, with "{name}" as written. */
export function shortLines(): Array<{ kind: SmallTalkKind | "ack"; text: string; chinese: boolean }> {
  const out: Array<{ kind: SmallTalkKind | "ack"; text: string; chinese: boolean }> = [];
  for (const [bank, chinese] of [
    [SHORT_EN, false],
    [SHORT_ZH, true],
  ] as const)
    for (const [kind, lines] of Object.entries(bank))
      for (const text of lines) out.push({ kind: kind as SmallTalkKind | "ack", text, chinese });
  return out;
}

/**
 * One short line, deterministic by `rng`: Chinese with probability `chineseShare`; an English line
 * in lower case or capitalised, ending in nothing, "!", ".", "?" (how-are-yous) or "!!".
 */
export function composeShortLine(
  rng: Rng,
  options: { name?: string; chineseShare?: number } = {},
): ShortLine {
  const chinese = rng.next() < (options.chineseShare ?? 0.3);
  const bank = chinese ? SHORT_ZH : SHORT_EN;
  const kind = rng.pick(Object.keys(bank) as Array<SmallTalkKind | "ack">);
  let text = rng.pick(bank[kind]).replaceAll("{name}", options.name ?? "there");
  const ack = kind === "ack";
  if (chinese) text += rng.pick(["", "！", "~", "。"]);
  else {
    if (rng.next() < 0.4) text = (text[0]?.toUpperCase() ?? "") + text.slice(1);
    text += rng.pick(kind === "how-are-you" ? ["", "?", "??"] : ["", "!", ".", "!!", " :)"]);
  }
  return { kind: ack ? "pleasantry" : kind, ack, prompt: text };
}
