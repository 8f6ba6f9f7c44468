import { describe, expect, it } from "vitest";
import { CopyRowsSource, wordRuns } from "./copy-rows-source.js";
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

/** Calls check on every row of `steps` batches of source, with the same row of the natural batches. */
async function eachRow(
  source: CopyRowsSource,
  natural: InMemoryBatchSource,
  steps: number,
  check: (row: number[], mask: number[], own: string) => void,
): Promise<void> {
  for (let step = 0; step < steps; step++) {
    const plainBatch = await natural.next();
    const batch = await source.next();
    for (let b = 0; b < B; b++) {
      const row = Array.from(batch.inputs.subarray(b * T, (b + 1) * T));
      const mask = Array.from(batch.mask!.subarray(b * T, (b + 1) * T));
      check(row, mask, Array.from(plainBatch.inputs.subarray(b * T, (b + 1) * T)).join(","));
    }
  }
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
    await eachRow(source, plain(), 3, (row, mask, own) => {
      expect(row[0]).toBe(BOS);
      // every token is the row's own text, and the first span (after BOS) is a window of it
      expect(row.slice(1).every((id) => id >= 1000 && id < 1005)).toBe(true);
      const first = row.slice(1, 7).join(",");
      expect(own.includes(first)).toBe(true);
      // the span is written again right after itself, the loss on that copy from its second token
      expect(row.slice(7, 13).join(",")).toBe(first);
      expect(mask.slice(0, 13)).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0]);
    });
    // textShare 0 and an unset textShare give the same batches (no draw for the text spans)
    const a = new CopyRowsSource(inner(), options);
    const z = new CopyRowsSource(inner(), { ...options, textShare: 0 });
    for (let i = 0; i < 4; i++) expect(await z.next()).toEqual(await a.next());
  });

  it("with counted, writes runs of the row's own words and their counted copy, the loss on the copy", async () => {
    // ids 1000-1003 start a word, 1004-1005 continue one, 1006 is punctuation (no word piece)
    const cycle = [1000, 1004, 1001, 1002, 1005, 1000, 1003, 1001, 1002, 1006];
    const words = Array.from({ length: 40 * (T + 1) }, (_, i) => cycle[i % cycle.length] as number);
    const plain = () => new InMemoryBatchSource({ tokens: words, batchSize: B, seqLen: T, seed: 3 });
    const wordRole = new Uint8Array(1010);
    for (const id of [1000, 1001, 1002, 1003]) wordRole[id] = 1;
    for (const id of [1004, 1005]) wordRole[id] = 2;
    // number k is the ids [30, k], the separator [40]
    const numberIds = Array.from({ length: 16 }, (_, k) => [30, k]);
    const tokens = { wordRole, numberIds, separatorIds: [40] };
    const source = new CopyRowsSource(plain(), {
      ...options,
      warmupSteps: 3,
      counted: { share: 1, tokens, minWords: 3, maxWords: 5 },
    });
    await eachRow(source, plain(), 3, (row, mask, own) => {
      expect(row[0]).toBe(BOS);
      const sep = row.indexOf(40);
      const text = row.slice(1, sep);
      // the text is a window of the row's own tokens, whole words only, no punctuation
      expect(own.includes(text.join(","))).toBe(true);
      expect(wordRole[text[0]!]).toBe(1);
      expect(text.includes(1006)).toBe(false);
      const textWords = text.filter((id) => wordRole[id] === 1).length;
      expect(textWords).toBeGreaterThanOrEqual(3);
      expect(textWords).toBeLessThanOrEqual(5);
      // then each word again, followed by its running number, and the separator
      const expected: number[] = [];
      let k = 0;
      text.forEach((id, i) => {
        expected.push(id);
        if (i + 1 === text.length || wordRole[text[i + 1]!] === 1) expected.push(30, ++k);
      });
      expected.push(40);
      const end = sep + 1 + expected.length;
      expect(row.slice(sep + 1, end)).toEqual(expected);
      // the loss: 0 on the text and the first separator, 1 on the counted copy and the separator
      // after it (mask[t] weighs the target row[t + 1])
      expect(mask.slice(0, sep)).toEqual(new Array(sep).fill(0));
      expect(mask.slice(sep, end - 1)).toEqual(new Array(end - 1 - sep).fill(1));
      if (end < T) expect(mask[end - 1]).toBe(0);
    });
    // with fromStep, the copy rows before it are plain ones (uniform ids below 50, not the text's)
    const later = new CopyRowsSource(plain(), {
      ...options,
      warmupSteps: 3,
      counted: { share: 1, tokens, minWords: 3, maxWords: 5, fromStep: 2 },
    });
    for (let step = 0; step < 3; step++) {
      const batch = await later.next();
      for (let b = 0; b < B; b++) expect(batch.inputs[b * T + 1]! >= 1000).toBe(step >= 2);
    }
    // a text without a run of minWords words keeps the ordinary copy rows
    const punctuation = new InMemoryBatchSource({
      tokens: words.map(() => 1006),
      batchSize: B,
      seqLen: T,
      seed: 3,
    });
    const none = new CopyRowsSource(punctuation, { ...options, counted: { share: 1, tokens, minWords: 3 } });
    const first = await none.next();
    for (let b = 0; b < B; b++) expect(isCopyRow(first.inputs, b)).toBe(true);
  });

  it("wordRuns finds runs of whole words and drops a word the row's end may cut", () => {
    const role = [0, 1, 2, 1, 1, 2, 0];
    // ids: 1 starts, 2 continues, 6 ends a run
    expect(wordRuns([1, 2, 1, 6, 1, 1, 2, 1, 2], role, 2)).toEqual([
      [[1, 2], [1]],
      [[1], [1, 2]],
    ]);
    expect(wordRuns([2, 1, 1, 6, 1], role, 3)).toEqual([]);
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
    const tokens = { wordRole: [], numberIds: [[], [1]], separatorIds: [40] };
    expect(() => new CopyRowsSource(inner(), { ...options, counted: { share: 0.5, tokens } })).toThrow(
      /maxWords=15, numbers=1/,
    );
  });
});
