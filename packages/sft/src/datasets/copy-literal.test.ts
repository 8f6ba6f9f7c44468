import { SPLIT_DIGITS_PATTERN, toJsRegExp, trainBpe } from "@llm/tokenizer";
import { describe, expect, it } from "vitest";
import { copyLiteral } from "./copy-literal.js";
import { entitySearchCode, generateKnowledgeBase } from "./knowledge.js";
import { letterTaskMessages } from "./letter-count.js";

const chunksOf = (text: string): string[] => text.match(toJsRegExp(SPLIT_DIGITS_PATTERN)) ?? [];

/** Whether `needle` occurs in `hay` as a contiguous run. */
function containsRun(hay: readonly number[], needle: readonly number[]): boolean {
  for (let i = 0; i + needle.length <= hay.length; i++) {
    if (needle.every((t, j) => hay[i + j] === t)) return true;
  }
  return false;
}

// Questions in the learners' style (unquoted words, contractions, lower case, context first),
// written for this test, with the word each asks about.
const LETTER_QUESTIONS: ReadonlyArray<readonly [string, string, string]> = [
  ["How many r's are there in strawberry?", "strawberry", "r"],
  ["so how many t's does the word kitten have", "kitten", "t"],
  ["My teacher asked me this. Count the o's in cocoon", "cocoon", "o"],
  ["pepper has how many p's?", "pepper", "p"],
  ['How many "s" are in "mississippi"?', "mississippi", "s"],
];

function letterCode(prompt: string, word: string, letter: string): string {
  const task = { id: "t", kind: "letter-count", prompt, answer: "0", metadata: { word, letter } };
  return letterTaskMessages(task, "tool")[0]?.toolCalls?.[0]?.code ?? "";
}

describe("copyLiteral", () => {
  it("keeps the space before an unquoted word, and writes a quoted or leading word plainly", () => {
    expect(copyLiteral("How many r's are in strawberry?", "strawberry")).toBe('" strawberry"');
    expect(copyLiteral('How many "r" are in "strawberry"?', "strawberry")).toBe('"strawberry"');
    expect(copyLiteral("strawberry: how many r's?", "strawberry")).toBe('"strawberry"');
    // whole words only: "straw" is not found inside "strawberry"
    expect(copyLiteral("How many a's in strawberry?", "straw")).toBe('"straw"');
    expect(copyLiteral("Who is Kalora Vent?", "Kalora Vent")).toBe('" Kalora Vent"');
    expect(copyLiteral("Tell me about the Vessa river.", "Vessa")).toBe('" Vessa"');
    // the "'t" of "can't" is a contraction; the letter asked about is the " t" after it
    expect(copyLiteral("I can't count the t's in tattoo.", "t")).toBe('" t"');
  });

  it("gives the word's pre-split chunk of the question, the same chunk in the tool call", () => {
    for (const [prompt, word, letter] of LETTER_QUESTIONS) {
      const code = letterCode(prompt, word, letter);
      const chunk = JSON.parse(copyLiteral(prompt, word)) as string;
      expect(chunksOf(prompt)).toContain(chunk);
      if (chunk.startsWith(" ")) expect(chunksOf(code)).toContain(chunk);
      const letterChunk = JSON.parse(copyLiteral(prompt, letter)) as string;
      expect(chunksOf(prompt)).toContain(letterChunk);
      expect(chunksOf(code)).toContain(letterChunk);
    }
  });

  it("makes the call's word tokens those of the question, where the plain literal's differ", async () => {
    // a vocabulary in which " strawberry" and "strawberry" start with different tokens, as the
    // pipeline's 1024-token one does (" st" vs "st")
    const text = [
      "How many letters are in the words strawberry, kitten, cocoon and pepper? ",
      "strawberry kitten cocoon pepper. ",
      "The strawberry and the kitten sat on a cocoon of pepper. ",
      "Who is Kalora Vent? Kalora Vent is a baker. ",
    ].join("");
    const tokenizer = await trainBpe(text.repeat(30), {
      vocabSize: 256 + 9 + 120,
      pattern: SPLIT_DIGITS_PATTERN,
    });
    let plainDiffers = 0;
    for (const [prompt, word, letter] of LETTER_QUESTIONS) {
      const literal = copyLiteral(prompt, word);
      const code = letterCode(prompt, word, letter);
      expect(code.startsWith(literal)).toBe(true);
      const wordTokens = tokenizer.encode(JSON.parse(literal) as string);
      expect(containsRun(tokenizer.encode(prompt), wordTokens)).toBe(true);
      expect(containsRun(tokenizer.encode(code), wordTokens)).toBe(true);
      // the letter too: " t" in "how many t's" is the chunk " t" in `" t".trim()`
      const letterLiteral = copyLiteral(prompt, letter);
      if (letterLiteral.startsWith('" ')) expect(code).toContain(`.split(${letterLiteral}.trim())`);
      else expect(code).toContain(`.split("${letter}")`);
      const letterTokens = tokenizer.encode(JSON.parse(letterLiteral) as string);
      expect(containsRun(tokenizer.encode(prompt), letterTokens)).toBe(true);
      expect(containsRun(tokenizer.encode(code), letterTokens)).toBe(true);
      // the count is unchanged: a space is not a letter
      expect(Function(`return ${code}`)()).toBe(word.split(letter).length - 1);
      if (literal.startsWith('" ')) {
        const plain = tokenizer.encode(`"${word}".split("${letter}").length - 1`);
        if (!containsRun(plain, wordTokens)) plainDiffers++;
      }
    }
    expect(plainDiffers).toBeGreaterThan(0);

    const kb = generateKnowledgeBase({ seed: 2, count: 12 });
    for (const entity of kb.entities) {
      for (const question of [`Who is ${entity.name}?`, `what do u know about ${entity.name}`]) {
        const code = entitySearchCode(entity, question);
        expect(code).toBe(`search(" ${entity.name}")`);
        const nameTokens = tokenizer.encode(` ${entity.name}`);
        expect(containsRun(tokenizer.encode(question), nameTokens)).toBe(true);
        expect(containsRun(tokenizer.encode(code), nameTokens)).toBe(true);
      }
      expect(entitySearchCode(entity, `${entity.name} - what's that?`)).toBe(`search("${entity.name}")`);
    }
  });
});
