import { Rng, SPECIAL_TOKENS } from "@llm/core";
import { describe, expect, it } from "vitest";
import { mobyDickChapters } from "./__fixtures__/moby-dick.js";
import { DEFAULT_PATTERN, SPLIT_DIGITS_PATTERN, toJsRegExp } from "./pattern.js";
import { learnMerges, trainBpe } from "./train-bpe.js";

/**
 * The slow, obviously correct trainer: every chunk of the text as a list of ids; each round
 * recounts every adjacent pair, merges the most frequent (ties: smaller left id, then smaller
 * right id) left to right in every chunk.
 */
function referenceMerges(text: string, numMerges: number, pattern = DEFAULT_PATTERN): [number, number][] {
  const chunks = (text.match(toJsRegExp(pattern)) ?? []).map((c) => Array.from(new TextEncoder().encode(c)));
  const merges: [number, number][] = [];
  for (let m = 0; m < numMerges; m++) {
    const counts = new Map<number, number>();
    for (const chunk of chunks) {
      for (let i = 0; i + 1 < chunk.length; i++) {
        const key = (chunk[i] as number) * 65536 + (chunk[i + 1] as number);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    let best: [number, number] | undefined;
    let bestCount = 0;
    for (const [key, count] of counts) {
      const pair: [number, number] = [Math.floor(key / 65536), key % 65536];
      if (
        best === undefined ||
        count > bestCount ||
        (count === bestCount && (pair[0] < best[0] || (pair[0] === best[0] && pair[1] < best[1])))
      ) {
        best = pair;
        bestCount = count;
      }
    }
    if (best === undefined) break;
    merges.push(best);
    const id = 256 + m;
    for (const [c, chunk] of chunks.entries()) {
      const out: number[] = [];
      for (let i = 0; i < chunk.length; i++) {
        if (i + 1 < chunk.length && chunk[i] === best[0] && chunk[i + 1] === best[1]) {
          out.push(id);
          i++;
        } else {
          out.push(chunk[i] as number);
        }
      }
      chunks[c] = out;
    }
  }
  return merges;
}

function countsOf(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const chunk of text.match(toJsRegExp(DEFAULT_PATTERN)) ?? [])
    counts.set(chunk, (counts.get(chunk) ?? 0) + 1);
  return counts;
}

describe("trainBpe", () => {
  it("learns exactly the merges of the slow reference trainer on Moby Dick", () => {
    const text = mobyDickChapters().slice(0, 6).join("\n");
    const expected = referenceMerges(text, 300);
    expect(expected).toHaveLength(300);
    expect(learnMerges(countsOf(text), 300)).toEqual(expected);
  });

  it("matches the reference on random texts full of ties and repeated letters", () => {
    const rng = new Rng(7);
    const alphabet = ["a", "b", "a", "aa", " ", "é", "水", "\n", "1", "!"];
    for (let trial = 0; trial < 20; trial++) {
      let text = "";
      const n = 50 + Math.floor(rng.next() * 400);
      for (let i = 0; i < n; i++) text += alphabet[Math.floor(rng.next() * alphabet.length)];
      const expected = referenceMerges(text, 60);
      expect(learnMerges(countsOf(text), 60)).toEqual(expected);
    }
  });

  it("reserves the special tokens at the top ids and reports progress", async () => {
    const events: number[] = [];
    const tokenizer = await trainBpe(
      mobyDickChapters().slice(0, 3),
      { vocabSize: 300 },
      { onProgress: (e) => events.push(e.done) },
    );
    expect(tokenizer.vocabSize).toBe(300);
    const numOrdinary = 300 - SPECIAL_TOKENS.length;
    expect(tokenizer.ordinarySize).toBe(numOrdinary);
    for (const [i, token] of SPECIAL_TOKENS.entries())
      expect(tokenizer.specialId(token)).toBe(numOrdinary + i);
    for (let byte = 0; byte < 256; byte++) expect(Array.from(tokenizer.tokenBytes(byte))).toEqual([byte]);
    expect(tokenizer.merges).toHaveLength(numOrdinary - 256);
    expect(events.at(-1)).toBe(numOrdinary - 256);
  });

  it("with SPLIT_DIGITS_PATTERN learns no multi-digit token, where the default pattern does", async () => {
    const rng = new Rng(5);
    const sums: string[] = [];
    for (let i = 0; i < 400; i++) {
      const [a, b] = [rng.int(100), rng.int(100)];
      sums.push(`${a} + ${b} = ${a + b}.`);
    }
    const text = [...mobyDickChapters().slice(0, 2), sums.join(" ")];
    const multiDigit = (tokenizer: { ordinarySize: number; tokenBytes(id: number): Uint8Array }) => {
      const found: string[] = [];
      for (let id = 0; id < tokenizer.ordinarySize; id++) {
        const piece = new TextDecoder().decode(tokenizer.tokenBytes(id));
        if (/\d\d/.test(piece)) found.push(piece);
      }
      return found;
    };
    const split = await trainBpe(text, { vocabSize: 600, pattern: SPLIT_DIGITS_PATTERN });
    expect(multiDigit(split)).toEqual([]);
    expect(
      split
        .encode("2024 + 75 = 2099")
        .map((id) => split.decode([id]))
        .filter((p) => /\d/.test(p)),
    ).toEqual("2024752099".split(""));
    const grouped = await trainBpe(text, { vocabSize: 600 });
    expect(multiDigit(grouped).length).toBeGreaterThan(0);
  });

  it("accepts async iterables and applies the per-document and total character caps", async () => {
    async function* docs() {
      yield "aaaa bbbb";
      yield "cccc";
      yield "dddd";
    }
    const capped = await trainBpe(docs(), { vocabSize: 256 + 9 + 3, maxCharsPerDoc: 4, maxChars: 8 });
    // Only "aaaa" and "cccc" are seen: bytes b and d never merge.
    const merged = capped.pieces(Array.from({ length: capped.ordinarySize - 256 }, (_, i) => 256 + i));
    expect(merged.join("|")).not.toMatch(/[bd]/);
    expect(merged).toContain("aa");
    expect(merged).toContain("cc");
  });

  it("stops early with a warning when the text runs out of pairs", async () => {
    const logs: string[] = [];
    const tokenizer = await trainBpe(
      "ab ab",
      { vocabSize: 1000 },
      { onLog: (e) => logs.push(`${e.level}: ${e.message}`) },
    );
    // Chunks "ab" and " ab": merges (a,b) then (space, ab).
    expect(tokenizer.merges).toEqual([
      [97, 98],
      [32, 256],
    ]);
    expect(tokenizer.vocabSize).toBe(258 + SPECIAL_TOKENS.length);
    expect(logs.some((l) => l.startsWith("warn"))).toBe(true);
  });

  it("rejects a vocabulary too small for the bytes and special tokens", async () => {
    await expect(trainBpe("hello", { vocabSize: 100 })).rejects.toMatchObject({ code: "INVALID_CONFIG" });
  });

  it("is fast: Moby Dick (1.2 MB) to 2048 ids in a few seconds", async () => {
    const start = performance.now();
    const tokenizer = await trainBpe(mobyDickChapters(), { vocabSize: 2048 });
    expect(tokenizer.vocabSize).toBe(2048);
    expect(performance.now() - start).toBeLessThan(10_000);
  });
});
