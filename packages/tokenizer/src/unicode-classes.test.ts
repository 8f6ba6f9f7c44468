import { describe, expect, it } from "vitest";
import { probeTiktokenClass } from "./probe-tiktoken-class.js";
import { caseFolds, classRanges, type UnicodeClassName } from "./unicode-tables.js";

function members(name: UnicodeClassName): number[] {
  const ranges = classRanges(name);
  const out: number[] = [];
  for (let i = 0; i < ranges.length; i += 2)
    for (let cp = ranges[i] as number; cp <= (ranges[i + 1] as number); cp++) out.push(cp);
  return out;
}

describe("the committed tables (unicode-classes.ts) are the installed tiktoken's classes", () => {
  // If this fails after a tiktoken upgrade, regenerate: npx tsx packages/tokenizer/scripts/make-unicode-classes.ts
  for (const [name, pattern] of [
    ["White_Space", "\\s"],
    ["N", "\\p{N}"],
    ["L", "\\p{L}"],
  ] as const) {
    it(`${name} equals what ${pattern} matches in tiktoken's WASM`, () => {
      expect(members(name)).toEqual(probeTiktokenClass(pattern));
    });
  }

  it("White_Space has U+0085 and not U+FEFF; (?i:s) also matches U+017F", () => {
    expect(members("White_Space")).toContain(0x85);
    expect(members("White_Space")).not.toContain(0xfeff);
    expect(caseFolds("s")).toEqual([0x53, 0x73, 0x17f]);
    expect(probeTiktokenClass("(?i:s)")).toEqual([0x53, 0x73, 0x17f]);
  });
});
