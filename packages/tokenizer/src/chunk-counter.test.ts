import { Rng } from "@llm/core";
import { describe, expect, it } from "vitest";
import { ChunkCounter } from "./chunk-counter.js";

describe("ChunkCounter", () => {
  it("counts like a Map of substrings, across table growth", () => {
    const rng = new Rng(5);
    const alphabet = [..."abcdefghijklmnop水 \n", "🙂"];
    const text = Array.from({ length: 400_000 }, () => alphabet[rng.int(alphabet.length)]).join("");
    const counter = new ChunkCounter();
    const expected = new Map<string, number>();
    for (let start = 0; start < text.length; ) {
      const end = Math.min(text.length, start + 1 + rng.int(8));
      counter.add(text, start, end);
      const chunk = text.slice(start, end);
      expected.set(chunk, (expected.get(chunk) ?? 0) + 1);
      start = end;
    }
    const counts = counter.toMap();
    expect(counter.size).toBe(expected.size);
    expect(counts.size).toBe(expected.size);
    expect(expected.size).toBeGreaterThan(40_000);
    let wrong = 0;
    for (const [chunk, count] of expected) if (counts.get(chunk) !== count) wrong++;
    expect(wrong).toBe(0);
  });
});
