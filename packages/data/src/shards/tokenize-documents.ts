/**
 * Tokenizes a stream of documents into fixed-size binary shards: each document becomes
 * [BOS, ...ids]; tokens fill `shard_000000.bin`, `shard_000001.bin`, ... of exactly
 * `shardTokens` tokens (the last one shorter), a document running on into the next shard.
 * Works with any core Tokenizer. A run first marks its set incomplete and removes what an
 * earlier run of the same prefix left in outDir (manifest, shards, temp files of killed
 * writers), then writes `<prefix>.manifest.json` last, once every shard is in place: readers
 * trust only the manifest (shard-manifest.ts). Reference: nanoGPT's fineweb.py and nanochat's tok_train sharding. Leaves out: parallel tokenization (run one call per rank on its own outDir/prefix).
 */
import { basename, join } from "node:path";
import { type Document, type Listeners, LlmError, type TokenDtype, type Tokenizer } from "@llm/core";
import { beginShardSet, writeShardManifest } from "./shard-manifest.js";
import { dtypeForVocab } from "./token-shard-format.js";
import { openShardWriter, type ShardFileWriter } from "./token-shard-writer.js";

export interface TokenizeOptions {
  /** Folder the shards are written to (created if missing). */
  outDir: string;
  /** Tokens per shard. Default 10,000,000 (20 MB as uint16). */
  shardTokens?: number;
  /** Put the tokenizer's "<|bos|>" id before every document. Default true. */
  bos?: boolean;
  /** Token width on disk. Default: uint16 when vocabSize <= 65,536, else uint32. */
  dtype?: TokenDtype;
  /** File name prefix. Default "shard" (files are `<prefix>_000000.bin`). */
  prefix?: string;
  /** Progress events (stage "data", unit "documents"). */
  listeners?: Listeners;
}

export interface TokenizeResult {
  shards: { path: string; tokenCount: number }[];
  documents: number;
  tokens: number;
  /** Total UTF-8 bytes of the document texts (for bytes-per-token figures). */
  bytes: number;
  dtype: TokenDtype;
  /** The BOS id used, or undefined when `bos` was false. */
  bosId: number | undefined;
  /** The set's manifest (`<outDir>/<prefix>.manifest.json`), written last. */
  manifest: string;
}

const encoder = new TextEncoder();

export async function tokenizeDocuments(
  documents: Iterable<Document | string> | AsyncIterable<Document | string>,
  tokenizer: Tokenizer,
  options: TokenizeOptions,
): Promise<TokenizeResult> {
  const shardTokens = options.shardTokens ?? 10_000_000;
  if (!Number.isInteger(shardTokens) || shardTokens < 1) {
    throw new LlmError("INVALID_ARGUMENT", `shardTokens must be a positive integer, got ${shardTokens}`, {
      input: "shardTokens",
    });
  }
  const dtype = options.dtype ?? dtypeForVocab(tokenizer.vocabSize);
  const prefix = options.prefix ?? "shard";
  const bosId = options.bos === false ? undefined : tokenizer.specialId("<|bos|>");
  const result: TokenizeResult = {
    shards: [],
    documents: 0,
    tokens: 0,
    bytes: 0,
    dtype,
    bosId,
    manifest: "",
  };
  await beginShardSet(options.outDir, prefix);
  let writer: ShardFileWriter | undefined;

  const shardPath = (index: number) =>
    join(options.outDir, `${prefix}_${String(index).padStart(6, "0")}.bin`);
  const finish = async () => {
    if (!writer) return;
    const header = await writer.close();
    result.shards.push({ path: writer.path, tokenCount: header.tokenCount });
    writer = undefined;
  };

  try {
    for await (const item of documents) {
      const text = typeof item === "string" ? item : item.text;
      if (text.length === 0) continue;
      const ids = tokenizer.encode(text);
      const all = bosId === undefined ? ids : [bosId, ...ids];
      let start = 0;
      while (start < all.length) {
        if (!writer) writer = await openShardWriter(shardPath(result.shards.length), { dtype });
        const room = shardTokens - writer.tokenCount;
        const piece = all.slice(start, start + room);
        await writer.write(piece);
        start += piece.length;
        if (writer.tokenCount >= shardTokens) await finish();
      }
      result.documents++;
      result.tokens += all.length;
      result.bytes += encoder.encode(text).length;
      if (result.documents % 1000 === 0) {
        options.listeners?.onProgress?.({ stage: "data", done: result.documents, unit: "documents" });
      }
    }
    await finish();
  } catch (error) {
    await writer?.abort();
    throw error;
  }
  result.manifest = await writeShardManifest(options.outDir, {
    format: "llm-token-shards",
    version: 1,
    prefix,
    dtype,
    bosId,
    shardTokens,
    documents: result.documents,
    tokens: result.tokens,
    bytes: result.bytes,
    shards: result.shards.map((s) => ({ file: basename(s.path), tokenCount: s.tokenCount })),
    createdAt: new Date().toISOString(),
  });
  options.listeners?.onProgress?.({
    stage: "data",
    done: result.documents,
    unit: "documents",
    message: `tokenized ${result.tokens} tokens into ${result.shards.length} shards`,
  });
  return result;
}
