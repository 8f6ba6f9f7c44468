import { describe, expect, it } from "vitest";
import { Rng } from "./rng.js";

describe("Rng", () => {
  it("gives the same sequence for the same seed and different ones for different seeds", () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const sa = Array.from({ length: 8 }, () => a.nextUint32());
    const sb = Array.from({ length: 8 }, () => b.nextUint32());
    const sc = Array.from({ length: 8 }, () => c.nextUint32());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
  });

  it("restores from a saved state mid-stream", () => {
    const a = new Rng("resume");
    for (let i = 0; i < 100; i++) a.next();
    const saved = a.getState();
    const expected = Array.from({ length: 10 }, () => a.next());
    const b = Rng.fromState(JSON.parse(JSON.stringify(saved)));
    expect(Array.from({ length: 10 }, () => b.next())).toEqual(expected);
  });

  it("draws uniform floats in [0,1) with the right mean and normals with unit variance", () => {
    const rng = new Rng(7);
    const n = 20000;
    let sum = 0;
    let sumSq = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      sum += u;
      min = Math.min(min, u);
      max = Math.max(max, u);
      const z = rng.normal();
      sumSq += z * z;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(sum / n).toBeCloseTo(0.5, 1);
    expect(sumSq / n).toBeGreaterThan(0.95);
    expect(sumSq / n).toBeLessThan(1.05);
  });

  it("shuffles into a permutation and picks by weight", () => {
    const rng = new Rng(1);
    const items = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = rng.shuffle([...items]);
    expect(shuffled).not.toEqual(items);
    expect([...shuffled].sort((x, y) => x - y)).toEqual(items);
    const counts = [0, 0, 0];
    for (let i = 0; i < 6000; i++) counts[rng.weighted([1, 0, 2])]!++;
    expect(counts[1]).toBe(0);
    expect(counts[2]! / counts[0]!).toBeGreaterThan(1.7);
    expect(counts[2]! / counts[0]!).toBeLessThan(2.3);
  });

  it("forks independent streams without advancing the parent", () => {
    const rng = new Rng(5);
    const before = rng.getState();
    const f1 = rng.fork("a");
    const f2 = rng.fork("b");
    expect(rng.getState()).toEqual(before);
    expect(f1.nextUint32()).not.toBe(f2.nextUint32());
  });
});
