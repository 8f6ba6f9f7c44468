import { describe, expect, it } from "vitest";
import { identityQuestionKey } from "./identity.js";
import { smallTalkConversations, smallTalkTasks } from "./small-talk.js";

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
});
