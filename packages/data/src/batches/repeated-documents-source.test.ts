import { describe, expect, it } from "vitest";
import { CopyRowsSource } from "./copy-rows-source.js";
import { InMemoryBatchSource } from "./in-memory-batch-source.js";
import { RepeatedDocumentsSource } from "./repeated-documents-source.js";

const B = 4;
const T = 16;
const BOS = 99;
// natural tokens are >= 1000; document d is made of ids 200 + 10 d ...
const tokens = Array.from({ length: 50 * (T + 1) }, (_, i) => 1000 + (i % 89));
const inner = () => new InMemoryBatchSource({ tokens, batchSize: B, seqLen: T, seed: 3 });
const doc = (d: number, length = 6) => Array.from({ length }, (_, i) => 200 + 10 * d + i);
const documents = [
  { ids: doc(0), repeats: 1 },
  { ids: doc(1), repeats: 4 },
  { ids: doc(2, 9), repeats: 16 },
  { ids: doc(3), repeats: 0 },
];
const options = { documents, totalRows: 100 * B, startRow: 10 * B, bosId: BOS, seed: 5 };

/** Which document each row of the batch holds (or -1), checking the copy is whole. */
function copiesIn(batch: { inputs: Int32Array; targets: Int32Array; mask?: Float32Array }): number[] {
  const found: number[] = [];
  for (let b = 0; b < B; b++) {
    const row = b * T;
    const d = documents.findIndex((x) => batch.inputs[row + 1] === x.ids[0]);
    if (d < 0) {
      found.push(-1);
      continue;
    }
    const ids = documents[d]!.ids;
    expect(batch.inputs[row]).toBe(BOS);
    for (let i = 0; i < ids.length; i++) {
      expect(batch.inputs[row + 1 + i]).toBe(ids[i]);
      expect(batch.targets[row + i]).toBe(ids[i]);
      expect(batch.mask?.[row + i]).toBe(1);
    }
    // the copy ends as a document does: its last token predicts BOS
    expect(batch.targets[row + ids.length]).toBe(BOS);
    found.push(d);
  }
  return found;
}

describe("RepeatedDocumentsSource", () => {
  it("writes each document exactly `repeats` times, spread over [startRow, totalRows), never before", async () => {
    const source = new RepeatedDocumentsSource(inner(), options);
    const rows: number[][] = documents.map(() => []);
    for (let step = 0; step < 100; step++) {
      const found = copiesIn(await source.next());
      found.forEach((d, b) => {
        if (d >= 0) rows[d]!.push(step * B + b);
      });
    }
    expect(rows.map((r) => r.length)).toEqual([1, 4, 16, 0]);
    for (const r of rows.flat()) expect(r).toBeGreaterThanOrEqual(10 * B);
    // stratified: the 16 copies of document 2 fall one in each sixteenth of the 360 rows
    rows[2]!.forEach((row, j) => {
      expect(row).toBeGreaterThanOrEqual(10 * B + Math.floor((j * 360) / 16));
      expect(row).toBeLessThan(10 * B + Math.floor(((j + 1) * 360) / 16) + 2);
    });
    expect(rows[2]).toEqual(source.rowsOf(2));
    // the copies take the training rows after them whole: natural tokens resume after the copy
    const again = new RepeatedDocumentsSource(inner(), options);
    const natural = inner();
    for (let step = 0; step < 100; step++) {
      const [mixed, plain] = [await again.next(), await natural.next()];
      const found = copiesIn(mixed);
      for (let b = 0; b < B; b++) {
        const from = found[b]! < 0 ? 0 : documents[found[b]!]!.ids.length + 2;
        for (let t = from; t < T; t++) expect(mixed.inputs[b * T + t]).toBe(plain.inputs[b * T + t]);
      }
    }
  });

  it("drops the loss on the rest of a masked row (a synthetic copy row it overwrote)", async () => {
    const copyRows = new CopyRowsSource(inner(), { vocabSize: 50, bosId: BOS, warmupSteps: 100, seed: 1 });
    const source = new RepeatedDocumentsSource(copyRows, { ...options, startRow: 0 });
    let seen = 0;
    for (let step = 0; step < 100; step++) {
      const batch = await source.next();
      copiesIn(batch).forEach((d, b) => {
        if (d < 0) return;
        seen++;
        for (let t = documents[d]!.ids.length + 1; t < T; t++) expect(batch.mask![b * T + t]).toBe(0);
      });
    }
    expect(seen).toBe(21);
  });

  it("is deterministic for a seed and resumes exactly from a saved position", async () => {
    const a = new RepeatedDocumentsSource(inner(), options);
    for (let i = 0; i < 30; i++) await a.next();
    const saved = JSON.parse(JSON.stringify(a.position()));
    const expected = [];
    for (let i = 0; i < 20; i++) expected.push(await a.next());
    const b = new RepeatedDocumentsSource(inner(), options);
    b.restore(saved);
    const got = [];
    for (let i = 0; i < 20; i++) got.push(await b.next());
    expect(got).toEqual(expected);
    expect(new RepeatedDocumentsSource(inner(), { ...options, seed: 6 }).rowsOf(2)).not.toEqual(a.rowsOf(2));
    expect(() => b.restore({ step: 3 })).toThrow(/RepeatedDocumentsSource position/);
  });

  it("rejects more copies than rows, and documents that do not fit a row, with typed errors", () => {
    expect(() => new RepeatedDocumentsSource(inner(), { ...options, totalRows: 50 })).toThrow(/copies=21/);
    expect(
      () => new RepeatedDocumentsSource(inner(), { ...options, documents: [{ ids: doc(0, T), repeats: 1 }] }),
    ).toThrow(/seqLen - 1/);
    expect(
      () => new RepeatedDocumentsSource(inner(), { ...options, documents: [{ ids: doc(0), repeats: 1.5 }] }),
    ).toThrow(/integer repeats/);
  });
});
