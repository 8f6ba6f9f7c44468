import { Rng } from "@llm/core";
import { describe, expect, it } from "vitest";
import { identityQuestionKey } from "./identity.js";
import { smallTalkConversations, smallTalkTasks } from "./small-talk.js";
import { composeOpener } from "./small-talk-openers.js";
import { composeSmallTalk } from "./small-talk-phrases.js";
import { ACKNOWLEDGEMENT_REPLIES, composeShortLine, shortLines } from "./small-talk-short.js";

describe("small talk", () => {
  it("answers greetings with greetings, Chinese in Chinese, and holds prompts out", () => {
    const { train, eval: heldOut } = smallTalkConversations({ seed: 1, count: 100 });
    expect(train).toHaveLength(100);
    for (const c of train) {
      const [user, reply] = c.messages;
      expect(reply?.role).toBe("assistant");
      expect(reply?.toolCalls).toBeUndefined();
      if (/\p{Script=Han}/u.test(user?.content ?? "")) expect(reply?.content).toMatch(/\p{Script=Han}/u);
      else expect(reply?.content).toMatch(/hello|hi!|welcome|goodbye|bye|good|nice|happy|well|thank/i);
    }
    const held = new Set(heldOut.map((c) => identityQuestionKey(c.messages[0]?.content ?? "")));
    for (const c of train) expect(held.has(identityQuestionKey(c.messages[0]?.content ?? ""))).toBe(false);
    expect(smallTalkTasks({ seed: 1 }).eval.map((t) => t.prompt)).toEqual(
      heldOut.map((c) => c.messages[0]?.content),
    );
  });

  it("composes hundreds of forms, never a bare greeting, with the assistant's name and in Chinese", () => {
    const { train } = smallTalkConversations({ seed: 2, count: 1000, name: "Nano" });
    const prompts = train.map((c) => c.messages[0]?.content ?? "");
    expect(new Set(prompts).size).toBeGreaterThan(500);
    expect(prompts.some((p) => p.includes("Nano") || p.includes("nano"))).toBe(true);
    const chinese = train.filter((c) => /\p{Script=Han}/u.test(c.messages[0]?.content ?? ""));
    expect(chinese.length).toBeGreaterThan(60);
    for (const c of chinese) expect(c.messages[1]?.content).toMatch(/\p{Script=Han}/u);
    const bare = new Set([
      "hello",
      "hi",
      "hey",
      "thanks",
      "thank you",
      "bye",
      "goodbye",
      "good morning",
      "你好",
    ]);
    for (const p of prompts) expect(bare.has(identityQuestionKey(p)), p).toBe(false);
    const rng = new Rng("compose");
    for (let i = 0; i < 200; i++) {
      const prompt = composeSmallTalk("how-are-you", rng);
      // a how-are-you always has a tail: never just "Hi, how are you?"
      expect(identityQuestionKey(prompt)).not.toMatch(/^(hello|hi|hey) how are you$/);
    }
  });
});

describe("small talk shaped like identity questions", () => {
  it("asks a share of how-are-yous as 'are you ...?' and names the assistant in a share of their replies", () => {
    const plain = smallTalkConversations({ seed: 2, count: 600, name: "Nano" });
    const shaped = smallTalkConversations({
      seed: 2,
      count: 600,
      name: "Nano",
      areYouShare: 0.3,
      howAreYouNameShare: 0.5,
    });
    // the same held-out prompts (their replies are drawn after training's)
    expect(shaped.eval.map((c) => c.messages[0]?.content)).toEqual(
      plain.eval.map((c) => c.messages[0]?.content),
    );
    const held = new Set(plain.eval.map((c) => identityQuestionKey(c.messages[0]?.content ?? "")));
    const howAreYou = shaped.train.filter((c) => c.metadata?.kind === "how-are-you");
    const areYou = howAreYou.filter((c) =>
      /\b(are you|is (everything|your day)|are things)\b|吗/.test(c.messages[0]?.content.toLowerCase() ?? ""),
    );
    expect(areYou.length).toBeGreaterThan(120);
    const named = howAreYou.filter((c) => c.messages[1]?.content.includes("Nano"));
    expect(named.length / howAreYou.length).toBeGreaterThan(0.35);
    expect(named.length / howAreYou.length).toBeLessThan(0.65);
    for (const c of shaped.train) {
      expect(held.has(identityQuestionKey(c.messages[0]?.content ?? ""))).toBe(false);
      // a reply still answered as small talk
      expect(c.messages[1]?.content).toMatch(
        /hello|hi!|welcome|goodbye|bye|good|nice|happy|well|thank|\p{Script=Han}/iu,
      );
    }
    // off by default: no how-are-you reply names the assistant
    expect(
      plain.train.filter(
        (c) => c.metadata?.kind === "how-are-you" && c.messages[1]?.content.includes("Nano"),
      ),
    ).toEqual([]);
  });
});

describe("other chat openings", () => {
  it("answers presence checks, introductions and day updates as greetings and pleasantries", () => {
    const { train } = smallTalkConversations({ seed: 4, count: 500, name: "Nano", openerShare: 0.4 });
    const prompts = train.map((c) => c.messages[0]?.content.toLowerCase() ?? "");
    expect(prompts.filter((p) => /my name|call me|i'm called|go by/.test(p)).length).toBeGreaterThan(10);
    expect(prompts.filter((p) => /there|around|awake|online|hear me/.test(p)).length).toBeGreaterThan(10);
    for (const c of train) {
      expect(c.messages[1]?.content).toMatch(
        /hello|hi!|welcome|bye|good|nice|happy|well|thank|\p{Script=Han}/iu,
      );
      expect(c.messages[1]?.toolCalls).toBeUndefined();
    }
    const rng = new Rng("openers");
    for (let i = 0; i < 300; i++) {
      const { prompt } = composeOpener(rng, "Nano");
      expect(prompt).not.toMatch(/\{|\}/);
    }
  });
});

describe("short chat lines", () => {
  it("answers one- to three-word lines as small talk, acknowledgements with an offer to help", () => {
    const plain = smallTalkConversations({ seed: 5, count: 400, name: "Nano" });
    const shorts = smallTalkConversations({ seed: 5, count: 400, name: "Nano", shortShare: 0.5 });
    // off by default; on, the held-out prompts stay the same
    expect(smallTalkConversations({ seed: 5, count: 400, name: "Nano", shortShare: 0 }).train).toEqual(
      plain.train,
    );
    expect(shorts.eval.map((c) => c.messages[0]?.content)).toEqual(
      plain.eval.map((c) => c.messages[0]?.content),
    );
    const held = new Set(plain.eval.map((c) => identityQuestionKey(c.messages[0]?.content ?? "")));
    const written = new Set(shortLines().map((l) => l.text.replaceAll("{name}", "Nano")));
    const short = shorts.train.filter((c) => {
      const bare = (c.messages[0]?.content ?? "").replace(/[\s!.?~！。]+$|\s:\)$/gu, "");
      return written.has(bare) || written.has(bare[0]?.toLowerCase() + bare.slice(1));
    });
    // about half of the composed 60%
    expect(short.length).toBeGreaterThan(80);
    expect(short.length).toBeLessThan(170);
    const chinese = short.filter((c) => /\p{Script=Han}/u.test(c.messages[0]?.content ?? ""));
    expect(chinese.length).toBeGreaterThan(10);
    for (const c of chinese) expect(c.messages[1]?.content).toMatch(/\p{Script=Han}/u);
    const acks = short.filter((c) => ACKNOWLEDGEMENT_REPLIES.en.includes(c.messages[1]?.content ?? ""));
    expect(acks.length).toBeGreaterThan(5);
    for (const c of acks) expect(c.metadata?.kind).toBe("pleasantry");
    for (const c of shorts.train) {
      expect(held.has(identityQuestionKey(c.messages[0]?.content ?? ""))).toBe(false);
      expect(c.messages[1]?.toolCalls).toBeUndefined();
      expect(c.messages[1]?.content).toMatch(
        /hello|hi!|welcome|bye|good|nice|happy|well|thank|great|glad|\p{Script=Han}/iu,
      );
    }
  });

  it("composes short lines deterministically, with the name, never a bare core of the composed prompts", () => {
    const a = new Rng("short");
    const b = new Rng("short");
    const lines = Array.from({ length: 500 }, () => composeShortLine(a, { name: "Nano" }));
    expect(Array.from({ length: 500 }, () => composeShortLine(b, { name: "Nano" }))).toEqual(lines);
    expect(lines.some((l) => l.prompt.includes("Nano"))).toBe(true);
    const zh = lines.filter((l) => /\p{Script=Han}/u.test(l.prompt)).length;
    expect(zh / lines.length).toBeGreaterThan(0.2);
    expect(zh / lines.length).toBeLessThan(0.4);
    const bare = new Set([
      "hello",
      "hi",
      "hey",
      "thanks",
      "thank you",
      "thx",
      "bye",
      "goodbye",
      "你好",
      "谢谢",
      "再见",
    ]);
    for (const l of lines) {
      expect(l.prompt).not.toMatch(/\{|\}/);
      expect(l.prompt.split(" ").length).toBeLessThanOrEqual(4);
      expect(bare.has(identityQuestionKey(l.prompt)), l.prompt).toBe(false);
    }
    expect(new Set(lines.map((l) => l.kind))).toEqual(
      new Set(["greeting", "how-are-you", "thanks", "goodbye", "pleasantry"]),
    );
  });
});
