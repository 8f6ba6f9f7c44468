import { get_encoding } from "tiktoken";
import { describe, expect, it } from "vitest";
import { mobyDickChapters } from "./__fixtures__/moby-dick.js";
import { getEncoding } from "./get-encoding.js";
import { toJsRegExp } from "./pattern.js";

describe("getEncoding", () => {
  it("gives ids identical to tiktoken's cl100k_base on all of Moby Dick", () => {
    const ours = getEncoding("cl100k_base");
    const reference = get_encoding("cl100k_base");
    try {
      for (const chapter of mobyDickChapters()) {
        expect(ours.encode(chapter)).toEqual(Array.from(reference.encode_ordinary(chapter)));
      }
    } finally {
      reference.free();
    }
  });

  it("splits text where tiktoken does: our JS version of each pattern cuts at its boundaries", () => {
    const text = `${mobyDickChapters().slice(0, 4).join("\n")} It's 2024; ÉCOLE's 12345 ünïcödé 我刚才吃了西瓜籽 \t\n\n  x`;
    for (const name of ["gpt2", "cl100k_base", "o200k_base"] as const) {
      const tokenizer = getEncoding(name);
      const chunks = text.match(toJsRegExp(tokenizer.pattern)) ?? [];
      expect(chunks.join("")).toBe(text);
      expect(chunks.flatMap((chunk) => tokenizer.encode(chunk))).toEqual(tokenizer.encode(text));
    }
  });

  it("reproduces the token counts of the Chinese example in facts.md", () => {
    const text = "我刚才吃了西瓜籽";
    expect(getEncoding("gpt2").encode(text)).toHaveLength(19);
    expect(getEncoding("cl100k_base").encode(text)).toHaveLength(14);
    expect(getEncoding("o200k_base").encode(text)).toHaveLength(9);
  });

  it("caches each encoding and knows its special tokens", () => {
    expect(getEncoding("gpt2")).toBe(getEncoding("gpt2"));
    expect(getEncoding("gpt2").specialId("<|endoftext|>")).toBe(50256);
    expect(getEncoding("o200k_base").vocabSize).toBe(200019);
    expect(() => getEncoding("nope" as "gpt2")).toThrow(/Unknown encoding/);
  });
});
