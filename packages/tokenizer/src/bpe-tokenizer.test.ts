import { isLlmError, Rng, SPECIAL_TOKENS } from "@llm/core";
import { beforeAll, describe, expect, it } from "vitest";
import { mobyDickChapters } from "./__fixtures__/moby-dick.js";
import type { BpeTokenizer } from "./bpe-tokenizer.js";
import { getEncoding } from "./get-encoding.js";
import { tokenByteLengths } from "./token-byte-lengths.js";
import { trainBpe } from "./train-bpe.js";

/** Random strings drawn from awkward parts of Unicode, including lone surrogates. */
function randomUnicode(rng: Rng): string {
  const pools: (() => string)[] = [
    () => String.fromCodePoint(0x1f300 + rng.int(0x300)), // emoji
    () => String.fromCodePoint(0x4e00 + rng.int(0x5000)), // CJK
    () => String.fromCodePoint(0x300 + rng.int(0x70)), // combining marks
    () => "e\u0301",
    () => String.fromCharCode(0xd800 + rng.int(0x800)), // a lone surrogate
    () => " ",
    () => "\n",
    () => String.fromCharCode(32 + rng.int(95)),
    () => String.fromCodePoint(rng.int(0x110000 - 0x800)).replace(/[\ud800-\udfff]/, "?"),
    () => "👩‍👩‍👧",
    () => "<|bos|>",
  ];
  let text = "";
  const n = rng.int(40);
  for (let i = 0; i < n; i++) text += (pools[rng.int(pools.length)] as () => string)();
  return text;
}

/** The string with each lone surrogate replaced by U+FFFD (String#toWellFormed, ES2024). */
function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
}

describe("BpeTokenizer", () => {
  let ours: BpeTokenizer;
  beforeAll(async () => {
    ours = await trainBpe(mobyDickChapters().slice(0, 20), { vocabSize: 1024, name: "moby-1024" });
  });

  it("round-trips hundreds of random Unicode strings (lone surrogates become U+FFFD)", () => {
    const rng = new Rng(42);
    for (const tokenizer of [ours, getEncoding("cl100k_base"), getEncoding("gpt2")]) {
      for (let i = 0; i < 300; i++) {
        const text = randomUnicode(rng);
        const ids = tokenizer.encode(text);
        expect(tokenizer.decode(ids)).toBe(wellFormed(text));
      }
    }
  });

  it("never produces a special token from ordinary text unless allowed", () => {
    const text = `${SPECIAL_TOKENS.join(" and ")} <|endoftext|>`;
    const specialIds = new Set(ours.specialTokens.values());
    const ids = ours.encode(text);
    expect(ids.some((id) => specialIds.has(id))).toBe(false);
    expect(ours.decode(ids)).toBe(text);
    expect(ours.encode(text, { allowedSpecial: new Set() })).toEqual(ids);
    const all = ours.encode(text, { allowedSpecial: "all" });
    expect(all.filter((id) => specialIds.has(id))).toEqual(SPECIAL_TOKENS.map((t) => ours.specialId(t)));
    const onlyBos = ours.encode("<|bos|>x<|user_start|>", {
      allowedSpecial: new Set(["<|bos|>", "<|nope|>"]),
    });
    expect(onlyBos[0]).toBe(ours.specialId("<|bos|>"));
    expect(onlyBos.filter((id) => specialIds.has(id))).toHaveLength(1);
    expect(ours.decode(all)).toBe(text);
  });

  it("decodes invalid UTF-8 to U+FFFD and names a bad id", () => {
    // 0xE6 0xB0 is the start of a three-byte character; alone they are invalid.
    expect(ours.decode([0xe6, 0xb0])).toBe("\ufffd");
    expect(ours.decode([0xff, 104, 105])).toBe("\ufffdhi");
    expect(ours.pieces(ours.encode("水"))).toEqual(["\ufffd", "\ufffd", "\ufffd"]);
    try {
      ours.decode([ours.vocabSize]);
      expect.unreachable();
    } catch (error) {
      expect(isLlmError(error, "INVALID_INPUT")).toBe(true);
      expect(String(error)).toContain(String(ours.vocabSize));
    }
    expect(() => ours.specialId("<|nope|>")).toThrow(/no special token/);
  });

  it("gives per-token bytes and byte lengths for bits per byte", () => {
    const lengths = tokenByteLengths(ours);
    expect(lengths).toHaveLength(1024);
    for (const id of ours.specialTokens.values()) expect(lengths[id]).toBe(0);
    const ids = ours.encode("Call me Ishmael. Some years ago");
    const total = ids.reduce((sum, id) => sum + (lengths[id] as number), 0);
    expect(total).toBe(Buffer.byteLength("Call me Ishmael. Some years ago"));
    expect(new TextDecoder().decode(ours.tokenBytes(ours.specialId("<|bos|>")))).toBe("<|bos|>");
    const cl = tokenByteLengths(getEncoding("cl100k_base"));
    expect(cl[100256]).toBe(0); // an unused id below the special tokens
    expect(cl[100257]).toBe(0); // <|endoftext|>
  });

  it("compresses its training text better than a byte tokenizer", () => {
    const text = mobyDickChapters()[30] as string;
    expect(Buffer.byteLength(text) / ours.encode(text).length).toBeGreaterThan(2.5);
  });

  it("frees its WASM encoder and rebuilds it on demand", () => {
    const before = ours.encode("hello there");
    ours.free();
    expect(ours.encode("hello there")).toEqual(before);
  });
});
