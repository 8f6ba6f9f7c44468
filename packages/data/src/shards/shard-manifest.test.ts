import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isLlmError } from "@llm/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ShardBatchSource } from "../batches/shard-batch-source.js";
import { runCleanShard } from "../run/sharded-run.js";
import { ByteTokenizer } from "../testing/byte-tokenizer.js";
import { tokenizeDocuments } from "./tokenize-documents.js";

const tokenizer = new ByteTokenizer();
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "llm-data-manifest-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const windowsIn = (r: { shards: { tokenCount: number }[] }, seqLen = 8) =>
  r.shards.reduce((sum, s) => sum + Math.floor((s.tokenCount - 1) / seqLen), 0);
const docs = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag} document ${i} text.`);
const windowsOf = async (shards: string, seqLen = 8) => {
  const source = await ShardBatchSource.open({
    shards,
    batchSize: 1,
    seqLen,
    valFraction: 0,
    shuffle: false,
  });
  const n = source.windowCount;
  await source.close();
  return n;
};

describe("shard manifests", () => {
  it("is written last, lists every shard, and a rerun into the same folder removes the old run's extras", async () => {
    const out = join(dir, "rerun");
    const big = await tokenizeDocuments(docs(200, "first"), tokenizer, { outDir: out, shardTokens: 500 });
    expect(big.shards.length).toBeGreaterThan(4);
    const manifest = JSON.parse(await readFile(join(out, "shard.manifest.json"), "utf8")) as {
      shards: { file: string; tokenCount: number }[];
      tokens: number;
    };
    expect(manifest.shards.map((s) => s.file)).toEqual(big.shards.map((s) => s.path.split("/").pop()));
    expect(manifest.tokens).toBe(big.tokens);
    // A stale temp file left by a killed writer of this prefix.
    await writeFile(join(out, ".shard_000009.bin.abcdef012345.tmp"), "half");
    const small = await tokenizeDocuments(docs(20, "second"), tokenizer, { outDir: out, shardTokens: 500 });
    expect(small.shards.length).toBeLessThan(big.shards.length);
    const names = (await readdir(out)).sort();
    expect(names).toEqual(
      [...small.shards.map((s) => s.path.split("/").pop()), "shard.manifest.json"].sort(),
    );
    expect(await windowsOf(out)).toBe(windowsIn(small));
  });

  it("keeps other prefixes' shards in the same folder (train and val side by side)", async () => {
    const out = join(dir, "prefixes");
    await tokenizeDocuments(docs(50, "train"), tokenizer, { outDir: out, shardTokens: 400, prefix: "train" });
    const val = await tokenizeDocuments(docs(10, "val"), tokenizer, {
      outDir: out,
      shardTokens: 400,
      prefix: "val",
    });
    await tokenizeDocuments(docs(30, "train2"), tokenizer, {
      outDir: out,
      shardTokens: 400,
      prefix: "train",
    });
    expect(val.shards.every((s) => existsSync(s.path))).toBe(true);
    // Two sets in one folder: the folder is ambiguous, a manifest path names one.
    const error = await ShardBatchSource.open({ shards: out, batchSize: 1, seqLen: 8 }).catch(
      (e: unknown) => e,
    );
    expect(isLlmError(error, "INVALID_ARGUMENT")).toBe(true);
    expect((error as Error).message).toMatch(/train\.manifest\.json.*val\.manifest\.json/);
    const source = await ShardBatchSource.open({
      shards: join(out, "val.manifest.json"),
      batchSize: 1,
      seqLen: 8,
    });
    await source.close();
  });

  it("a tokenize that failed (or was killed) leaves its set marked incomplete, and readers refuse it", async () => {
    const out = join(dir, "failed");
    const failing = (async function* () {
      yield* docs(100, "partial");
      throw new Error("killed");
    })();
    await expect(tokenizeDocuments(failing, tokenizer, { outDir: out, shardTokens: 300 })).rejects.toThrow(
      "killed",
    );
    expect((await readdir(out)).some((n) => n.endsWith(".bin"))).toBe(true);
    const error = await ShardBatchSource.open({ shards: out, batchSize: 1, seqLen: 8 }).catch(
      (e: unknown) => e,
    );
    expect(isLlmError(error, "FILE_CORRUPT")).toBe(true);
    expect((error as Error).message).toMatch(/incomplete shard set: its tokenize run did not finish/);
    expect((error as { hint?: string }).hint).toMatch(/tokenize/);
    const files = await ShardBatchSource.open({
      shards: [join(out, "shard_000000.bin")],
      batchSize: 1,
      seqLen: 8,
    }).catch((e: unknown) => e);
    expect(isLlmError(files, "FILE_CORRUPT")).toBe(true);
  });

  it("a listed shard that is missing or changed is refused; files not in the manifest are not read", async () => {
    const out = join(dir, "damaged");
    const r = await tokenizeDocuments(docs(60, "x"), tokenizer, { outDir: out, shardTokens: 300 });
    await writeFile(join(out, "shard_000099.bin"), Buffer.alloc(64)); // not listed: ignored
    expect(await windowsOf(out)).toBe(windowsIn(r));
    const extra = await ShardBatchSource.open({
      shards: [join(out, "shard_000099.bin")],
      batchSize: 1,
      seqLen: 8,
    }).catch((e: unknown) => e);
    expect(isLlmError(extra, "FILE_MISMATCH")).toBe(true);
    await rm(r.shards[1]?.path as string);
    const missing = await ShardBatchSource.open({ shards: out, batchSize: 1, seqLen: 8 }).catch(
      (e: unknown) => e,
    );
    expect(isLlmError(missing, "FILE_CORRUPT")).toBe(true);
    expect((missing as Error).message).toMatch(/shard_000001\.bin/);
  });

  it("a rerun of a killed clean rank removes the .tmp files it left", async () => {
    const inputs = join(dir, "clean-in");
    const outDir = join(dir, "clean-out");
    await rm(inputs, { recursive: true, force: true });
    await (await import("node:fs/promises")).mkdir(join(outDir, "kept"), { recursive: true });
    await (await import("node:fs/promises")).mkdir(inputs, { recursive: true });
    await writeFile(join(inputs, "a.jsonl"), `${JSON.stringify({ id: "a", text: "hello there" })}\n`);
    await writeFile(join(outDir, "kept", ".0.jsonl.0123456789ab.tmp"), "half written by a killed rank");
    await runCleanShard(0, 1, { inputs: [inputs], outDir, chain: { language: false, gopherQuality: false } });
    expect((await readdir(join(outDir, "kept"))).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });
});
