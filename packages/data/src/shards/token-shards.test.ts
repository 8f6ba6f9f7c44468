import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isLlmError } from "@llm/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ByteTokenizer } from "../testing/byte-tokenizer.js";
import { SHARD_HEADER_BYTES } from "./token-shard-format.js";
import { openShardReader } from "./token-shard-reader.js";
import { openShardWriter } from "./token-shard-writer.js";
import { tokenizeDocuments } from "./tokenize-documents.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "llm-data-shards-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("token shards", () => {
  it.each(["uint16", "uint32"] as const)("round-trips %s tokens through writer and reader", async (dtype) => {
    const path = join(dir, `a-${dtype}.bin`);
    const writer = await openShardWriter(path, { dtype, bufferTokens: 7 });
    const max = dtype === "uint16" ? 65535 : 4_000_000_000;
    const ids = Array.from({ length: 1000 }, (_, i) => (i * 7919) % max);
    ids.push(max, 0);
    await writer.write(ids.slice(0, 500));
    await writer.write(Uint32Array.from(ids.slice(500)));
    const header = await writer.close();
    expect(header).toEqual({ version: 1, dtype, tokenCount: ids.length });
    const bytes = await readFile(path);
    expect(bytes.length).toBe(SHARD_HEADER_BYTES + ids.length * (dtype === "uint16" ? 2 : 4));
    expect(bytes.subarray(0, 4).toString("latin1")).toBe("LLMT");
    const reader = await openShardReader(path);
    expect(reader.header).toEqual(header);
    expect(Array.from(await reader.read(0, ids.length))).toEqual(ids);
    expect(Array.from(await reader.read(10, 3))).toEqual(ids.slice(10, 13));
    await expect(reader.read(ids.length - 1, 2)).rejects.toThrow(/past its/);
    await reader.close();
  });

  it("publishes nothing until close, and abort leaves no file", async () => {
    const path = join(dir, "b.bin");
    const writer = await openShardWriter(path);
    await writer.write([1, 2, 3]);
    expect(await readdir(dir)).not.toContain("b.bin");
    await writer.abort();
    expect(await readdir(dir)).toEqual([]);
  });

  it("rejects ids that do not fit the dtype", async () => {
    const writer = await openShardWriter(join(dir, "c.bin"), { dtype: "uint16" });
    await expect(writer.write([65536])).rejects.toThrow(/does not fit in uint16/);
    await writer.abort();
  });

  it("a truncated shard gives an LlmError naming the file", async () => {
    const path = join(dir, "d.bin");
    const writer = await openShardWriter(path);
    await writer.write([1, 2, 3, 4, 5]);
    await writer.close();
    await truncate(path, SHARD_HEADER_BYTES + 5);
    const error = await openShardReader(path).catch((e: unknown) => e);
    expect(isLlmError(error, "FILE_CORRUPT")).toBe(true);
    expect(String((error as Error).message)).toContain(path);
    expect(String((error as Error).message)).toMatch(/truncated/);
    await truncate(path, 10);
    await expect(openShardReader(path)).rejects.toThrow(/shorter than/);
    await writeFile(path, "not a shard at all, just text padding it out");
    await expect(openShardReader(path)).rejects.toThrow(/bad magic/);
    await expect(openShardReader(join(dir, "missing.bin"))).rejects.toThrow(/not found/);
  });
});

describe("tokenizeDocuments", () => {
  it("puts BOS before every document and splits into fixed-size shards", async () => {
    const tokenizer = new ByteTokenizer();
    const docs = ["hello", "", "world!", { id: "x", text: "héllo", metadata: {} }];
    const result = await tokenizeDocuments(docs, tokenizer, { outDir: dir, shardTokens: 8 });
    const bos = tokenizer.specialId("<|bos|>");
    const expected = [bos, ...tokenizer.encode("hello"), bos, ...tokenizer.encode("world!")];
    expected.push(bos, ...tokenizer.encode("héllo"));
    expect(result.tokens).toBe(expected.length);
    expect(result.documents).toBe(3);
    expect(result.dtype).toBe("uint16");
    expect(result.shards.map((s) => s.tokenCount)).toEqual([8, 8, expected.length - 16]);
    const all: number[] = [];
    for (const shard of result.shards) {
      const reader = await openShardReader(shard.path);
      all.push(...(await reader.read(0, reader.header.tokenCount)));
      await reader.close();
    }
    expect(all).toEqual(expected);
    expect(tokenizer.decode(all)).toBe("<|bos|>hello<|bos|>world!<|bos|>héllo");
  });

  it("aborts the open shard when the source throws, keeping finished shards intact", async () => {
    async function* failing() {
      yield "abcdefghij";
      throw new Error("source broke");
    }
    await expect(
      tokenizeDocuments(failing(), new ByteTokenizer(), { outDir: dir, shardTokens: 4 }),
    ).rejects.toThrow("source broke");
    const names = (await readdir(dir)).sort();
    // The finished shards stay, with the set marked incomplete (and no manifest) for readers.
    expect(names).toEqual(["shard.incomplete", "shard_000000.bin", "shard_000001.bin"]);
    for (const name of names.filter((n) => n.endsWith(".bin")))
      expect((await openShardReader(join(dir, name))).header.tokenCount).toBe(4);
  });
});
