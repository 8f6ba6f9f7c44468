import { describe, expect, it } from "vitest";
import { CopyRowsSource } from "./copy-rows-source.js";
import { InMemoryBatchSource } from "./in-memory-batch-source.js";

const B = 4;
const T = 32;
const BOS = 99;
// natural tokens are >= 1000, so a copy row (ids < 50) is told apart from a natural one
const tokens = Array.from({ length: 40 * (T + 1) }, (_, i) => 1000 + (i % 97));
const inner = () => new InMemoryBatchSource({ tokens, batchSize: B, seqLen: T, seed: 3 });
const options = { vocabSize: 50, bosId: BOS, warmupSteps: 2, share: 0.5, seed: 7 };

function isCopyRow(inputs: Int32Array, b: number): boolean {
  return inputs[b * T] === BOS && inputs[b * T + 1]! < 50;
}

describe("CopyRowsSource", () => {
  it("replaces every row during the warm-up and about `share` of them after it", async () => {
    const source = new CopyRowsSource(inner(), options);
    for (let step = 0; step < 2; step++) {
      const batch = await source.next();
      for (let b = 0; b < B; b++) expect(isCopyRow(batch.inputs, b)).toBe(true);
    }
    let copies = 0;
    for (let step = 0; step < 50; step++) {
      const batch = await source.next();
      for (let b = 0; b < B; b++) if (isCopyRow(batch.inputs, b)) copies++;
    }
    expect(copies / (50 * B)).toBeGreaterThan(0.35);
    expect(copies / (50 * B)).toBeLessThan(0.65);
  });

  it("puts the loss only on repeated tokens that copying predicts, and keeps natural rows whole", async () => {
    const source = new CopyRowsSource(inner(), { ...options, share: 0.5 });
    let checked = 0;
    for (let step = 0; step < 10; step++) {
      const batch = await source.next();
      expect(batch.inputs.length).toBe(B * T);
      for (let b = 0; b < B; b++) {
        const row = b * T;
        if (!isCopyRow(batch.inputs, b)) {
          for (let t = 0; t < T; t++) expect(batch.mask?.[row + t] ?? 1).toBe(1);
          continue;
        }
        for (let t = 0; t < T - 1; t++) expect(batch.targets[row + t]).toBe(batch.inputs[row + t + 1]);
        for (let t = 0; t < T; t++) {
          if (batch.mask?.[row + t] !== 1) continue;
          // a weighted target is an earlier token of the row followed, there, by the same context
          const target = batch.targets[row + t]!;
          const current = batch.inputs[row + t]!;
          let found = false;
          for (let s = 1; s < t && !found; s++)
            found = batch.inputs[row + s - 1] === current && batch.inputs[row + s] === target;
          expect(found).toBe(true);
          checked++;
        }
        expect(batch.mask![row]).toBe(0);
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it("with textShare, copies windows of the replaced row's own text, repeats and all", async () => {
    // natural rows whose tokens repeat within the row, as real text's do
    const repeating = Array.from({ length: 40 * (T + 1) }, (_, i) => 1000 + (i % 5));
    const plain = () => new InMemoryBatchSource({ tokens: repeating, batchSize: B, seqLen: T, seed: 3 });
    const source = new CopyRowsSource(plain(), {
      ...options,
      warmupSteps: 3,
      textShare: 1,
      minSpan: 6,
      maxSpan: 6,
    });
    const naturalBatches = plain();
    for (let step = 0; step < 3; step++) {
      const natural = await naturalBatches.next();
      const batch = await source.next();
      for (let b = 0; b < B; b++) {
        const row = Array.from(batch.inputs.subarray(b * T, (b + 1) * T));
        const own = Array.from(natural.inputs.subarray(b * T, (b + 1) * T)).join(",");
        expect(row[0]).toBe(BOS);
        // every token is the row's own text, and the first span (after BOS) is a window of it
        expect(row.slice(1).every((id) => id >= 1000 && id < 1005)).toBe(true);
        const first = row.slice(1, 7).join(",");
        expect(own.includes(first)).toBe(true);
        // the span is written again right after itself, the loss on that copy from its second token
        expect(row.slice(7, 13).join(",")).toBe(first);
        expect(Array.from(batch.mask!.subarray(b * T, b * T + 13))).toEqual([
          0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0,
        ]);
      }
    }
    // textShare 0 and an unset textShare give the same batches (no draw for the text spans)
    const a = new CopyRowsSource(inner(), options);
    const z = new CopyRowsSource(inner(), { ...options, textShare: 0 });
    for (let i = 0; i < 4; i++) expect(await z.next()).toEqual(await a.next());
  });

  it("is deterministic and resumes exactly from a saved position", async () => {
    const a = new CopyRowsSource(inner(), options);
    for (let i = 0; i < 5; i++) await a.next();
    const saved = JSON.parse(JSON.stringify(a.position()));
    const expected = [await a.next(), await a.next()];
    const b = new CopyRowsSource(inner(), options);
    b.restore(saved);
    const got = [await b.next(), await b.next()];
    expect(got).toEqual(expected);
    expect(() => b.restore({ cursor: 3 })).toThrow(/CopyRowsSource position/);
  });

  it("rejects bad options with a typed error naming them", () => {
    expect(() => new CopyRowsSource(inner(), { ...options, share: 1.5 })).toThrow(/share=1.5/);
    expect(() => new CopyRowsSource(inner(), { ...options, textShare: -0.1 })).toThrow(/textShare=-0.1/);
    expect(() => new CopyRowsSource(inner(), { ...options, minSpan: 8, maxSpan: 4 })).toThrow(/minSpan=8/);
  });
});
