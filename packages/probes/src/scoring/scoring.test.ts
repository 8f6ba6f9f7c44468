import { describe, expect, it } from "vitest";
import { answerNumber, extractMarkedAnswer } from "./answer-number.js";
import { extractChoice, extractNumber, extractNumbers, numberMatches } from "./extract-numbers.js";
import { isRefusal } from "./is-refusal.js";
import { matchesIdentity } from "./matches-identity.js";

describe("answer extraction", () => {
  it("reads digits, decimals, thousands and number words in order", () => {
    expect(extractNumbers("three r's, 9.11 and 1,234 then -2").map((n) => n.value)).toEqual([
      3, 9.11, 1234, -2,
    ]);
    expect(extractNumber("s-t-r: 1, 2, 3. So 3.")).toBe(3);
    expect(extractNumber("42 because 6*7", "first")).toBe(42);
    expect(extractNumber("no numbers here")).toBeUndefined();
    expect(extractNumber("Someone said it")).toBeUndefined(); // "one" inside a word is not a number
    expect(numberMatches("There are three.", "3")).toBe(true);
    expect(numberMatches("There are 2.", "3")).toBe(false);
  });

  it("picks the last candidate named", () => {
    expect(extractChoice("9.11 is bigger than 9.9? No: 9.9 is.", [9.11, 9.9])).toBe(9.9);
    expect(extractChoice("It is 10.", [9.11, 9.9])).toBeUndefined();
  });
});

describe("isRefusal", () => {
  it.each([
    ["I don't know who that is.", true],
    ["I'm not sure about that.", true],
    ["I do not have information about Zentrivox.", true],
    ["我不知道这个人。", true],
    ["抱歉，我没有相关信息。", true],
    ["The capital is Paris.", false],
    ["I know it: Paris.", false],
  ])("%s -> %s", (text, expected) => {
    expect(isRefusal(text)).toBe(expected);
  });
});

describe("matchesIdentity", () => {
  const id = { name: "nanochat", aliases: ["纳米聊天"] };
  it.each([
    ["I'm nanochat, built by a learner.", true],
    ["I am NanoChat.", true],
    ["我是纳米聊天。", true],
    ["我是nanochat，一个助手。", true],
    ["I am ChatGPT, made by OpenAI.", false],
    ["I am nanochat, similar to ChatGPT.", false],
    ["I am nanochatbot.", false],
    ["I am a language model.", false],
  ])("%s -> %s", (text, expected) => {
    expect(matchesIdentity(text, id)).toBe(expected);
  });
  it("an identity named like a default other name still matches itself", () => {
    expect(matchesIdentity("I am Claude.", { name: "Claude" })).toBe(true);
  });
});

describe("extractMarkedAnswer", () => {
  it("agrees with @llm/sft's extractAnswer", async () => {
    const { extractAnswer } = await import("@llm/sft");
    for (const text of [
      "#### 42",
      "steps\n#### 9.9.\nmore",
      "no marker",
      "####   \n",
      "#### s-t-r<|assistant_end|>",
      "a #### b #### c",
    ]) {
      expect(extractMarkedAnswer(text)).toBe(extractAnswer(text));
    }
  });
});

describe("answerNumber", () => {
  it("prefers the marker, then the position rule", () => {
    expect(answerNumber("#### 12\nsteps 3 4")).toBe(12);
    expect(answerNumber("steps 3 4\n#### 7")).toBe(7);
    expect(answerNumber("7 then 8", "first")).toBe(7);
    expect(answerNumber("7 then 8")).toBe(8);
    expect(answerNumber("#### none")).toBeUndefined();
  });
});
