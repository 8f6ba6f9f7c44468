import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { mobyDickChapters } from "./__fixtures__/moby-dick.js";
import type { BpeTokenizer } from "./bpe-tokenizer.js";
// Qwen3's shipped file is checked against Hugging Face's own tokenizer in compare-tokenizers.test.ts
// (where it is loaded anyway).
import { byteLevelDecoder, loadHuggingFaceTokenizer, parseHuggingFaceTokenizer } from "./hf-tokenizer.js";
import { trainBpe } from "./train-bpe.js";

const fixture = new URL("./__fixtures__/tiny-hf-tokenizer.json", import.meta.url).pathname;

/** Writes one of our tokenizers as a Hugging Face tokenizer.json object (GPT-2 byte-level strings). */
function toHuggingFace(tokenizer: BpeTokenizer): unknown {
  const encode = new Map([...byteLevelDecoder()].map(([ch, byte]) => [byte, ch]));
  const text = (id: number): string => Array.from(tokenizer.tokenBytes(id), (b) => encode.get(b)).join("");
  const vocab: Record<string, number> = {};
  for (let id = 0; id < tokenizer.ordinarySize; id++) vocab[text(id)] = id;
  return {
    model: { type: "BPE", vocab, merges: (tokenizer.merges ?? []).map(([l, r]) => [text(l), text(r)]) },
    normalizer: null,
    pre_tokenizer: {
      type: "Sequence",
      pretokenizers: [
        { type: "Split", pattern: { Regex: tokenizer.pattern }, behavior: "Isolated", invert: false },
        { type: "ByteLevel", add_prefix_space: false, use_regex: false },
      ],
    },
    added_tokens: [...tokenizer.specialTokens].map(([content, id]) => ({ id, content, special: true })),
  };
}

describe("loadHuggingFaceTokenizer", () => {
  it("reads a tiny hand-built byte-level BPE file", async () => {
    const tokenizer = await loadHuggingFaceTokenizer(fixture, { name: "tiny" });
    expect(tokenizer.vocabSize).toBe(261);
    expect(tokenizer.encode("hello world")).toEqual([258, 111, 259, 111, 114, 108, 100]);
    expect(tokenizer.decode([258, 111, 259])).toBe("hello w");
    expect(tokenizer.specialId("<|endoftext|>")).toBe(260);
  });

  it("gives the ids of the tokenizer it was exported from", async () => {
    const ours = await trainBpe(mobyDickChapters().slice(0, 8), { vocabSize: 700 });
    const loaded = parseHuggingFaceTokenizer(toHuggingFace(ours), "exported");
    const text = `${mobyDickChapters()[12]} 我刚才吃了西瓜籽 🐳`;
    expect(loaded.encode(text)).toEqual(ours.encode(text));
    expect([...loaded.specialTokens]).toEqual([...ours.specialTokens]);
  });

  it("rejects other formats with errors that name the file", () => {
    const base = JSON.parse(readFileSync(fixture, "utf8"));
    expect(() =>
      parseHuggingFaceTokenizer({ ...base, model: { ...base.model, type: "WordPiece" } }, "wp.json"),
    ).toThrow(/wp\.json.*not BPE/);
    const twoSplits = {
      ...base,
      pre_tokenizer: {
        type: "Sequence",
        pretokenizers: [
          { type: "Split", pattern: { Regex: "\\p{N}{1,3}" }, behavior: "Isolated", invert: false },
          { type: "Split", pattern: { Regex: "\\s+" }, behavior: "Isolated", invert: false },
          { type: "ByteLevel", add_prefix_space: false, use_regex: false },
        ],
      },
    };
    expect(() => parseHuggingFaceTokenizer(twoSplits, "ds.json")).toThrow(/ds\.json: 2 Split steps/);
    expect(() => parseHuggingFaceTokenizer({ format: "llm-tokenizer", model: {} }, "ours.json")).toThrow(
      /BpeTokenizer\.load/,
    );
    expect(() => parseHuggingFaceTokenizer([], "x.json")).toThrow(/x\.json/);
  });
});
