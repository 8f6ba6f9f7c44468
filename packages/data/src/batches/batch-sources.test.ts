import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Batch } from "@llm/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tokenizeDocuments } from "../shards/tokenize-documents.js";
import { ByteTokenizer } from "../testing/byte-tokenizer.js";
import { InMemoryBatchSource } from "./in-memory-batch-source.js";
import { ShardBatchSource } from "./shard-batch-source.js";

const tokenizer = new ByteTokenizer();
const bos = tokenizer.specialId("<|bos|>");
let dir: string;
let allTokens: number[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "llm-data-batches-"));
  const docs = Array.from(
    { length: 60 },
    (_, i) => `document ${i} ${"abcdefghij".slice(0, (i * 7) % 10)} end.`,
  );
  await tokenizeDocuments(docs, tokenizer, { outDir: dir, shardTokens: 500 });
  allTokens = docs.flatMap((d) => [bos, ...tokenizer.encode(d)]);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const rows = (batch: Batch, which: "inputs" | "targets") =>
  Array.from({ length: batch.batchSize }, (_, b) =>
    Array.from(batch[which].subarray(b * batch.seqLen, (b + 1) * batch.seqLen)),
  );

describe("ShardBatchSource", () => {
  it("yields [B, T] inputs with targets shifted by one, drawn from the shards", async () => {
    const source = await ShardBatchSource.open({ shards: dir, batchSize: 4, seqLen: 16, seed: 1 });
    const batch = await source.next();
    expect(batch.inputs.length).toBe(64);
    const text = allTokens.join(",");
    for (let b = 0; b < 4; b++) {
      const input = rows(batch, "inputs")[b] as number[];
      const target = rows(batch, "targets")[b] as number[];
      expect(target.slice(0, 15)).toEqual(input.slice(1));
      expect(text).toContain([...input, target[15]].join(","));
    }
    await source.close();
  });

  it("visits every train window once per epoch, disjoint from validation", async () => {
    const train = await ShardBatchSource.open({ shards: dir, batchSize: 1, seqLen: 16, valFraction: 0.2 });
    const val = await ShardBatchSource.open({
      shards: dir,
      batchSize: 1,
      seqLen: 16,
      valFraction: 0.2,
      split: "val",
    });
    const seen = new Set<string>();
    for (let i = 0; i < train.windowCount; i++) seen.add((await train.next()).inputs.join(","));
    expect(seen.size).toBe(train.windowCount);
    expect(train.epoch).toBe(0);
    for (let i = 0; i < val.windowCount; i++)
      expect(seen.has((await val.next()).inputs.join(","))).toBe(false);
    expect(val.windowCount).toBeGreaterThan(0);
    await train.next();
    expect(train.epoch).toBe(1);
    await train.close();
    await val.close();
  });

  it("shuffles deterministically by seed", async () => {
    const a = await ShardBatchSource.open({ shards: dir, batchSize: 4, seqLen: 8, seed: 7 });
    const b = await ShardBatchSource.open({ shards: dir, batchSize: 4, seqLen: 8, seed: 7 });
    const c = await ShardBatchSource.open({ shards: dir, batchSize: 4, seqLen: 8, seed: 8 });
    const [x, y, z] = [await a.next(), await b.next(), await c.next()];
    expect(x.inputs).toEqual(y.inputs);
    expect(x.inputs).not.toEqual(z.inputs);
    await Promise.all([a.close(), b.close(), c.close()]);
  });

  it.each([false, true])("restore gives identical subsequent batches (from disk: %s)", async (fromDisk) => {
    const options = {
      shards: dir,
      batchSize: 3,
      seqLen: 12,
      seed: 3,
      maxInMemoryTokens: fromDisk ? 0 : undefined,
    };
    const a = await ShardBatchSource.open(options);
    for (let i = 0; i < 25; i++) await a.next(); // crosses an epoch boundary
    const saved = JSON.parse(JSON.stringify(a.position()));
    const expected = [await a.next(), await a.next(), await a.next()];
    const b = await ShardBatchSource.open(options);
    b.restore(saved);
    for (const batch of expected) expect(await b.next()).toEqual(batch);
    expect(() => b.restore({ epoch: 0, cursor: 0, windows: 3 })).toThrow(/windows/);
    expect(() => b.restore({ epoch: -1, cursor: 0 })).toThrow(/non-negative/);
    await Promise.all([a.close(), b.close()]);
  });

  it("bosAligned rows all start with BOS", async () => {
    const source = await ShardBatchSource.open({
      shards: dir,
      batchSize: 2,
      seqLen: 20,
      bosAligned: true,
      bosId: bos,
      valFraction: 0,
    });
    for (let i = 0; i < 10; i++) {
      for (const row of rows(await source.next(), "inputs")) expect(row[0]).toBe(bos);
    }
    await source.close();
    await expect(
      ShardBatchSource.open({ shards: dir, batchSize: 1, seqLen: 4, bosAligned: true }),
    ).rejects.toThrow(/bosId/);
  });

  it("reports too little data and missing folders clearly", async () => {
    await expect(ShardBatchSource.open({ shards: dir, batchSize: 1, seqLen: 100_000 })).rejects.toThrow(
      /no window/,
    );
    await expect(
      ShardBatchSource.open({ shards: join(dir, "nope"), batchSize: 1, seqLen: 4 }),
    ).rejects.toThrow(/not found/);
  });
});

describe("InMemoryBatchSource", () => {
  const tokens = Array.from({ length: 101 }, (_, i) => i);

  it("cuts sliding windows and restores exactly", async () => {
    const a = new InMemoryBatchSource({ tokens, batchSize: 2, seqLen: 10, seed: 5 });
    expect(a.windowCount).toBe(10);
    const first = await a.next();
    for (const [b, row] of rows(first, "inputs").entries()) {
      expect(row[0]! % 10).toBe(0);
      expect(rows(first, "targets")[b]).toEqual(row.map((x) => x + 1));
    }
    expect(first.mask).toBeUndefined();
    for (let i = 0; i < 7; i++) await a.next();
    const saved = a.position();
    const next = [await a.next(), await a.next()];
    const b = new InMemoryBatchSource({ tokens, batchSize: 2, seqLen: 10, seed: 5 });
    b.restore(saved);
    expect([await b.next(), await b.next()]).toEqual(next);
  });

  it("fills Batch.mask from the target tokens' mask, and pads rows", () => {
    const mask = Float32Array.from(tokens, (t) => (t % 2 === 0 ? 1 : 0));
    const source = new InMemoryBatchSource({
      tokens,
      mask,
      batchSize: 1,
      seqLen: 6,
      shuffle: false,
      rows: [{ start: 10, length: 4 }],
      padId: 99,
    });
    const batch = source.nextSync();
    expect(Array.from(batch.inputs)).toEqual([10, 11, 12, 13, 99, 99]);
    expect(Array.from(batch.targets)).toEqual([11, 12, 13, 99, 99, 99]);
    expect(Array.from(batch.mask ?? [])).toEqual([0, 1, 0, 0, 0, 0]);
    expect(() => new InMemoryBatchSource({ tokens, mask: [1], batchSize: 1, seqLen: 4 })).toThrow(/mask/);
    expect(() => new InMemoryBatchSource({ tokens: [1, 2], batchSize: 1, seqLen: 4 })).toThrow(/Not enough/);
  });
});
