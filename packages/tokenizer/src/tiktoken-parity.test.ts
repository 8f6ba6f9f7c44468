import { Rng } from "@llm/core";
import { get_encoding } from "tiktoken";
import { describe, expect, it } from "vitest";
import { mobyDickChapters } from "./__fixtures__/moby-dick.js";
import { BpeTokenizer } from "./bpe-tokenizer.js";
import { getEncoding } from "./get-encoding.js";
import { JsEncoder } from "./js-encoder.js";
import { DEFAULT_PATTERN, GPT2_PATTERN, SPLIT_DIGITS_PATTERN } from "./pattern.js";
import { preSplitter } from "./pre-splitter.js";
import { trainBpe } from "./train-bpe.js";
import { classRanges, inRanges } from "./unicode-tables.js";

// Differential test against tiktoken's WASM over random code points of every Unicode general
// category (sampled with Node's tables, so code points where Node and tiktoken disagree are in).
const CATEGORIES =
  "Lu Ll Lt Lm Lo Mn Mc Me Nd Nl No Pc Pd Ps Pe Pi Pf Po Sm Sc Sk So Zs Zl Zp Cc Cf Co Cn".split(" ");

function pools(): number[][] {
  const byCategory = new Map<string, number[]>(CATEGORIES.map((c) => [c, []]));
  const tests = CATEGORIES.map(
    (c) => [c, new RegExp(`^\\p{${c === "Cn" ? "Cn" : `gc=${c}`}}$`, "u")] as const,
  );
  const disagree: number[] = [];
  const jsLetter = /^\p{L}$/u;
  const jsNumber = /^\p{N}$/u;
  const jsSpace = /^\s$/u;
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const ch = String.fromCodePoint(cp);
    // Unassigned code points are most of the space: keep those near assigned blocks only.
    for (const [name, regex] of tests) {
      if (regex.test(ch)) {
        if (name !== "Cn" || cp < 0x40000) byCategory.get(name)?.push(cp);
        break;
      }
    }
    if (
      jsLetter.test(ch) !== inRanges(classRanges("L"), cp) ||
      jsNumber.test(ch) !== inRanges(classRanges("N"), cp) ||
      jsSpace.test(ch) !== inRanges(classRanges("White_Space"), cp)
    )
      disagree.push(cp);
  }
  const whiteSpace: number[] = [];
  const ws = classRanges("White_Space");
  for (let i = 0; i < ws.length; i += 2)
    for (let cp = ws[i] as number; cp <= (ws[i + 1] as number); cp++) whiteSpace.push(cp);
  const astralLetters = (byCategory.get("Lo") ?? []).filter((cp) => cp > 0xffff);
  const ascii = [..."aZs'tLlVe 0123456789\n\r\t!.,-"].map((c) => c.codePointAt(0) as number);
  return [
    ...byCategory.values(),
    whiteSpace,
    astralLetters,
    disagree,
    ascii,
    ascii,
    [0x17f, 0x212a, 0xfeff, 0x85],
  ];
}

const POOLS = pools();

function sample(rng: Rng, count: number): string[] {
  const texts: string[] = [];
  for (let i = 0; i < count; i++) {
    let text = "";
    const n = 1 + rng.int(10);
    for (let j = 0; j < n; j++) text += String.fromCodePoint(rng.pick(rng.pick(POOLS)));
    texts.push(text);
  }
  return texts;
}

function regexEncoder(tokenizer: BpeTokenizer): JsEncoder {
  return new JsEncoder(
    (id) => tokenizer.tokenBytes(id),
    tokenizer.ordinarySize,
    preSplitter(tokenizer.pattern),
  );
}

describe("ids equal tiktoken's on random code points of every general category", () => {
  const texts = sample(new Rng(2024), 6000); // about 33,000 code points

  it("has sampled code points where Node's tables and tiktoken's disagree", () => {
    expect(POOLS.at(-4)?.length).toBeGreaterThan(0);
    expect(POOLS.at(-4)).toContain(0xfeff);
    expect(POOLS.at(-4)).toContain(0x85);
  });

  it("cl100k_base: our JS encoder, with and without allowedSpecial", () => {
    const ours = getEncoding("cl100k_base");
    const reference = get_encoding("cl100k_base");
    try {
      expect(ours.encode("\uFEFF#")).toEqual([43372]);
      expect(ours.encode(" \u0085s")).toEqual([220, 126, 227, 82]);
      for (const text of texts) {
        const expected = Array.from(reference.encode_ordinary(text));
        expect(ours.encode(text), JSON.stringify(text)).toEqual(expected);
        expect(ours.encode(text, { allowedSpecial: "all" })).toEqual(expected);
      }
    } finally {
      reference.free();
    }
  });

  for (const name of ["gpt2", "o200k_base"] as const) {
    it(`${name}: our RegExp pre-split (the trainer's) with a JS encoder`, () => {
      const encoder = regexEncoder(getEncoding(name));
      const reference = get_encoding(name);
      try {
        for (const text of texts) {
          expect(encoder.encode(text), JSON.stringify(text)).toEqual(
            Array.from(reference.encode_ordinary(text)),
          );
        }
      } finally {
        reference.free();
      }
    });
  }

  it("a trained tokenizer of ours (DEFAULT, SPLIT_DIGITS and GPT-2 patterns), trained on the sample", async () => {
    const corpus = [...mobyDickChapters().slice(0, 2), ...texts];
    for (const pattern of [DEFAULT_PATTERN, SPLIT_DIGITS_PATTERN, GPT2_PATTERN]) {
      const ours = await trainBpe(corpus, { vocabSize: 1200, pattern });
      const viaTiktoken = new BpeTokenizer({ ...tokenizerOptions(ours), engine: "tiktoken" });
      const regex = regexEncoder(ours);
      try {
        for (const text of texts) {
          const expected = viaTiktoken.encode(text);
          expect(ours.encode(text), JSON.stringify(text)).toEqual(expected);
          expect(ours.encode(text, { allowedSpecial: "all" })).toEqual(expected);
          expect(regex.encode(text)).toEqual(expected);
        }
      } finally {
        viaTiktoken.free();
        ours.free();
      }
    }
  });
});

function tokenizerOptions(t: BpeTokenizer) {
  const tokens: Uint8Array[] = [];
  for (let id = 0; id < t.ordinarySize; id++) tokens.push(t.tokenBytes(id));
  return { name: t.name, pattern: t.pattern, tokens, specialTokens: t.specialTokens };
}
