import { Rng } from "@llm/core";
import { describe, expect, it } from "vitest";
import { mobyDickChapters } from "./__fixtures__/moby-dick.js";
import { BpeTokenizer } from "./bpe-tokenizer.js";
import { getEncoding } from "./get-encoding.js";
import { trainBpe } from "./train-bpe.js";

function randomText(rng: Rng): string {
  const pieces = [
    "a",
    "The",
    " ",
    "\n",
    "  ",
    "水",
    "西瓜",
    "🙂",
    "\ud800",
    "e\u0301",
    "123456",
    "'s",
    "'LL",
    "!!",
    "\t",
    "é",
    "𝟙𝟚",
  ];
  let text = "";
  const n = rng.int(30);
  for (let i = 0; i < n; i++) text += pieces[rng.int(pieces.length)];
  return text;
}

describe("JsEncoder (the default engine for GPT-4-family patterns)", () => {
  it("gives tiktoken's ids for our trained tokenizer and for cl100k_base", async () => {
    const ours = await trainBpe(mobyDickChapters().slice(0, 10), { vocabSize: 1500 });
    const cl = getEncoding("cl100k_base");
    for (const tokenizer of [ours, cl]) {
      const json = tokenizer.toJSON();
      const viaTiktoken = new BpeTokenizer({
        name: json.name,
        pattern: json.pattern,
        tokens: Array.from({ length: tokenizer.ordinarySize }, (_, id) => tokenizer.tokenBytes(id)),
        specialTokens: tokenizer.specialTokens,
        engine: "tiktoken",
      });
      for (const text of mobyDickChapters().slice(10, 25))
        expect(tokenizer.encode(text)).toEqual(viaTiktoken.encode(text));
      const rng = new Rng(9);
      for (let i = 0; i < 500; i++) {
        const text = randomText(rng);
        expect(tokenizer.encode(text)).toEqual(viaTiktoken.encode(text));
      }
      viaTiktoken.free();
    }
  });
});
