/**
 * A BatchSource over binary token shards: [B, T] inputs and targets cut from windows of T+1
 * tokens, visited in a seeded per-epoch permutation, with a train/validation split (the tail
 * `valFraction` of every shard's windows is validation) and an exact, JSON-serialisable
 * position for resume. With `bosAligned`, every row starts on a BOS token: rows are packed
 * greedily from document starts, the document that straddles a row's end is cropped and the
 * next row starts at the following document (nanochat's BOS-aligned loader, without best-fit).
 * Reference: nanoGPT get_batch, nanochat dataloader. Leaves out: multi-rank splitting of one
 * order (give each rank its own shards) and best-fit packing.
 */
import { type Batch, type BatchPosition, type BatchSource, LlmError } from "@llm/core";
import { resolveShardSet } from "../shards/shard-manifest.js";
import { openShardReader, type ShardFileReader } from "../shards/token-shard-reader.js";
import { WindowOrder } from "./window-order.js";

export interface ShardBatchSourceOptions {
  /** Shard files, or one folder whose `*.bin` files (sorted by name) are the shards. */
  shards: readonly string[] | string;
  batchSize: number;
  seqLen: number;
  /** Which part of the data. Default "train". */
  split?: "train" | "val";
  /** Fraction of each shard's windows (its tail) kept for validation. Default 0.05. */
  valFraction?: number;
  /** Seed of the per-epoch shuffle. Default 0. */
  seed?: number | string;
  /** Shuffle windows every epoch. Default true for train, false for val. */
  shuffle?: boolean;
  /** Start every row on a BOS token (needs bosId). Default false: plain sliding windows. */
  bosAligned?: boolean;
  /** The BOS id, required when bosAligned. */
  bosId?: number;
  /** Load shards into memory (4 bytes a token) when their total is at most this many tokens. Default 16,000,000. */
  maxInMemoryTokens?: number;
}

interface ShardWindows {
  reader: ShardFileReader;
  /** In-memory copy of the tokens, when the data set is small enough. */
  tokens: Uint32Array | undefined;
  /** Window starts for BOS-aligned rows; undefined for sliding windows. */
  starts: Uint32Array | undefined;
  /** First window index of this shard in this split. */
  first: number;
  /** Index of this split's first sliding window inside the shard. */
  offset: number;
  /** Windows of this shard in this split. */
  count: number;
}

export class ShardBatchSource implements BatchSource {
  readonly batchSize: number;
  readonly seqLen: number;
  readonly split: "train" | "val";
  private readonly shards: ShardWindows[];
  private readonly order: WindowOrder;

  private constructor(options: ShardBatchSourceOptions, shards: ShardWindows[], total: number) {
    this.batchSize = options.batchSize;
    this.seqLen = options.seqLen;
    this.split = options.split ?? "train";
    this.shards = shards;
    this.order = new WindowOrder(total, options.seed ?? 0, options.shuffle ?? this.split === "train");
  }

  static async open(options: ShardBatchSourceOptions): Promise<ShardBatchSource> {
    const { batchSize, seqLen } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1 || !Number.isInteger(seqLen) || seqLen < 1) {
      throw new LlmError("INVALID_ARGUMENT", "batchSize and seqLen must be positive integers", {
        input: `batchSize=${batchSize} seqLen=${seqLen}`,
      });
    }
    const valFraction = options.valFraction ?? 0.05;
    if (!(valFraction >= 0 && valFraction < 1)) {
      throw new LlmError("INVALID_ARGUMENT", `valFraction must be in [0, 1), got ${valFraction}`, {
        input: "valFraction",
      });
    }
    if (options.bosAligned && options.bosId === undefined) {
      throw new LlmError("INVALID_ARGUMENT", "bosAligned needs bosId", {
        input: "bosId",
        hint: 'Pass tokenizer.specialId("<|bos|>").',
      });
    }
    const set = await resolveShardSet(options.shards);
    const readers: ShardFileReader[] = [];
    try {
      for (const { path, tokenCount } of set) {
        const reader = await openShardReader(path);
        readers.push(reader);
        if (tokenCount !== undefined && reader.header.tokenCount !== tokenCount) {
          throw new LlmError(
            "FILE_MISMATCH",
            `Shard has ${reader.header.tokenCount} tokens, its manifest lists ${tokenCount}`,
            { input: path, hint: "The shard was replaced after the tokenize run: rerun the tokenize step." },
          );
        }
      }
    } catch (error) {
      await Promise.all(readers.map((r) => r.close()));
      throw error;
    }
    const totalTokens = readers.reduce((sum, r) => sum + r.header.tokenCount, 0);
    const inMemory = totalTokens <= (options.maxInMemoryTokens ?? 16_000_000);
    const split = options.split ?? "train";
    const shards: ShardWindows[] = [];
    let total = 0;
    for (const reader of readers) {
      const n = reader.header.tokenCount;
      const tokens = inMemory || options.bosAligned ? await reader.read(0, n) : undefined;
      const starts = options.bosAligned
        ? bosStarts(tokens as Uint32Array, options.bosId as number, seqLen)
        : undefined;
      const windows = starts ? starts.length : Math.max(0, Math.floor((n - 1) / seqLen));
      const val = windows >= 2 ? Math.round(windows * valFraction) : 0;
      const [lo, hi] = split === "train" ? [0, windows - val] : [windows - val, windows];
      const count = hi - lo;
      const subStarts = starts ? starts.subarray(lo, hi) : undefined;
      shards.push({
        reader,
        tokens: inMemory ? tokens : undefined,
        starts: subStarts,
        first: total,
        offset: lo,
        count,
      });
      total += count;
      if (inMemory) await reader.close(); // everything is in memory: no file handle stays open
    }
    if (total === 0) {
      await Promise.all(readers.map((r) => r.close()));
      throw new LlmError(
        "INVALID_INPUT",
        `The ${split} split of ${set.length} shard(s) (${totalTokens} tokens) has no window of seqLen + 1 = ${seqLen + 1} tokens`,
        {
          input: set.map((s) => s.path).join(", "),
          hint: "Use a smaller seqLen or valFraction, or tokenize more data.",
        },
      );
    }
    return new ShardBatchSource(options, shards, total);
  }

  /** Windows (rows) in one epoch of this split. */
  get windowCount(): number {
    return this.order.count;
  }

  get epoch(): number {
    return this.order.epoch;
  }

  async next(): Promise<Batch> {
    const { batchSize: B, seqLen: T } = this;
    const inputs = new Int32Array(B * T);
    const targets = new Int32Array(B * T);
    for (let b = 0; b < B; b++) {
      const window = await this.readWindow(this.order.next());
      for (let t = 0; t < T; t++) {
        inputs[b * T + t] = window[t] as number;
        targets[b * T + t] = window[t + 1] as number;
      }
    }
    return { inputs, targets, batchSize: B, seqLen: T };
  }

  private async readWindow(index: number): Promise<Uint32Array> {
    let lo = 0;
    let hi = this.shards.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.shards[mid] as ShardWindows).first <= index) lo = mid;
      else hi = mid - 1;
    }
    const shard = this.shards[lo] as ShardWindows;
    const local = index - shard.first;
    const start = shard.starts ? (shard.starts[local] as number) : (shard.offset + local) * this.seqLen;
    const length = this.seqLen + 1;
    if (shard.tokens) return shard.tokens.subarray(start, start + length);
    return shard.reader.read(start, length);
  }

  position(): BatchPosition {
    return { ...this.order.position(), split: this.split };
  }

  restore(position: BatchPosition): void {
    if (position.split !== undefined && position.split !== this.split) {
      throw new LlmError(
        "FILE_MISMATCH",
        `Position of the ${String(position.split)} split given to ${this.split}`,
        {
          input: JSON.stringify(position),
        },
      );
    }
    this.order.restore(position, `this ${this.split} split`);
  }

  /** Closes the shard files (a no-op when the shards were loaded into memory). */
  async close(): Promise<void> {
    await Promise.all(this.shards.map((s) => s.reader.close()));
  }
}

/** Greedy BOS-aligned row starts: each row starts at a BOS; the next starts at the first BOS at or after its end. */
function bosStarts(tokens: Uint32Array, bosId: number, seqLen: number): Uint32Array {
  const starts: number[] = [];
  const n = tokens.length;
  let p = tokens.indexOf(bosId);
  while (p >= 0 && p + seqLen + 1 <= n) {
    starts.push(p);
    p = tokens.indexOf(bosId, p + seqLen);
  }
  return Uint32Array.from(starts);
}
