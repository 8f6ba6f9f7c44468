import { Rng } from "@llm/core";
import { describe, expect, it } from "vitest";
import { ExactDedupFilter } from "./exact-dedup-filter.js";
import {
  bucketPairs,
  clusterDuplicates,
  MinHashDedupFilter,
  MinHashRemovalFilter,
  minhashCatchProbability,
  minhashSignature,
  type SignatureRecord,
} from "./minhash.js";

/** A pair of texts of unique tokens whose 1-gram shingle sets have Jaccard similarity ~s. */
function pairWithJaccard(rng: Rng, s: number, size: number): { a: string; b: string; jaccard: number } {
  const shared = Math.round((2 * size * s) / (1 + s));
  const token = () => `t${rng.nextUint32().toString(36)}`;
  const common = Array.from({ length: shared }, token);
  const a = [...common, ...Array.from({ length: size - shared }, token)];
  const b = [...common, ...Array.from({ length: size - shared }, token)];
  return { a: a.join(" "), b: b.join(" "), jaccard: shared / (2 * size - shared) };
}

function sharesBand(x: Uint32Array, y: Uint32Array, bands: number, rows: number): boolean {
  for (let b = 0; b < bands; b++) {
    let same = true;
    for (let r = 0; r < rows && same; r++) same = x[b * rows + r] === y[b * rows + r];
    if (same) return true;
  }
  return false;
}

describe("MinHash LSH", () => {
  it("has FineWeb's catch probabilities", () => {
    expect(minhashCatchProbability(0.5)).toBeCloseTo(0.053, 3);
    expect(minhashCatchProbability(0.7)).toBeCloseTo(0.565, 3);
    expect(minhashCatchProbability(0.8)).toBeCloseTo(0.924, 3);
  });

  it.each([0.5, 0.7, 0.8, 0.9])("catch rate at s = %s follows 1-(1-s^8)^14", (s) => {
    const rng = new Rng(`minhash-${s}`);
    const trials = 300;
    let caught = 0;
    let expected = 0;
    for (let i = 0; i < trials; i++) {
      const pair = pairWithJaccard(rng, s, 120);
      const options = { ngram: 1, seed: i + 1 };
      if (sharesBand(minhashSignature(pair.a, options), minhashSignature(pair.b, options), 14, 8)) caught++;
      expected += minhashCatchProbability(pair.jaccard);
    }
    const rate = caught / trials;
    const p = expected / trials;
    const sigma = Math.sqrt((p * (1 - p)) / trials);
    expect(Math.abs(rate - p)).toBeLessThanOrEqual(Math.max(4 * sigma, 0.03));
  });

  it("catches near-duplicate documents on word 5-grams and keeps different ones", () => {
    const rng = new Rng(9);
    const words = Array.from({ length: 300 }, () => `w${rng.int(5000)}`);
    const original = words.join(" ");
    const edited = words.map((w, i) => (i === 150 ? "changed" : w)).join(" ");
    const other = Array.from({ length: 300 }, () => `w${rng.int(5000)}`).join(" ");
    const f = new MinHashDedupFilter();
    const run = (id: string, text: string) => f.apply({ id, text, metadata: {} });
    expect(run("a", original).keep).toBe(true);
    const dup = run("b", `${edited}.`);
    expect(dup.keep).toBe(false);
    if (!dup.keep)
      expect(dup.reason).toMatchObject({ filter: "minhash_dedup", rule: "near_duplicate", value: "a" });
    expect(run("c", other).keep).toBe(true);
  });

  it("stages: buckets, clusters (transitively) and a removal filter", () => {
    const texts = [
      "alpha beta gamma delta",
      "zeta eta theta iota",
      "alpha beta gamma delta",
      "zeta eta theta iota",
    ];
    const records: SignatureRecord[] = texts.map((text, i) => ({
      id: `d${i}`,
      signature: minhashSignature(text),
    }));
    const pairs = bucketPairs(records);
    expect(pairs).toEqual([
      [0, 2],
      [1, 3],
    ]);
    const removed = clusterDuplicates(5, [
      [0, 2],
      [2, 4],
      [1, 3],
    ]);
    expect([...removed.entries()]).toEqual([
      [2, 0],
      [3, 1],
      [4, 0],
    ]);
    const filter = new MinHashRemovalFilter(new Map([["d2", "d0"]]));
    expect(filter.apply({ id: "d2", text: "", metadata: {} })).toMatchObject({ keep: false });
    expect(filter.apply({ id: "d1", text: "", metadata: {} }).keep).toBe(true);
    expect(() => bucketPairs([{ id: "x", signature: new Uint32Array(3) }])).toThrow(/bands x rows/);
  });

  it("exact dedup ignores case, punctuation and spacing", () => {
    const f = new ExactDedupFilter();
    expect(f.apply({ id: "1", text: "Hello,  World!", metadata: {} }).keep).toBe(true);
    expect(f.apply({ id: "2", text: "hello world", metadata: {} })).toMatchObject({
      keep: false,
      reason: { rule: "exact_duplicate", value: "1" },
    });
    expect(f.apply({ id: "3", text: "hello there world", metadata: {} }).keep).toBe(true);
  });
});
