/**
 * Token shards and batches: the contract between the data pipeline and the trainers.
 * A shard is a binary file of token ids (see @llm/data for the byte layout); a BatchSource
 * yields [B, T] input/target pairs and can save and restore its position for exact resume.
 * Reference: nanoGPT's .bin shards, nanochat's dataloader. Leaves out: device placement.
 */

export type TokenDtype = "uint16" | "uint32";

export interface TokenShardHeader {
  /** Format version of the shard file. */
  version: number;
  dtype: TokenDtype;
  /** Number of tokens stored after the header. */
  tokenCount: number;
}

export interface TokenShardWriter {
  /** Appends one document's ids (the writer does not add BOS; the caller does). */
  write(ids: readonly number[] | Uint32Array): Promise<void>;
  /** Flushes, fsyncs and renames the temp file into place; returns the final header. */
  close(): Promise<TokenShardHeader>;
  /** Removes the temp file without publishing it. */
  abort(): Promise<void>;
}

export interface TokenShardReader {
  readonly path: string;
  readonly header: TokenShardHeader;
  /** Reads `count` tokens starting at token `offset`. */
  read(offset: number, count: number): Promise<Uint32Array>;
  close(): Promise<void>;
}

/** One batch: row-major [batchSize, seqLen] inputs and targets (targets = inputs shifted by one). */
export interface Batch {
  inputs: Int32Array;
  targets: Int32Array;
  batchSize: number;
  seqLen: number;
  /** Optional [batchSize, seqLen] loss mask (1 = counts in the loss); absent means all ones. */
  mask?: Float32Array;
}

/** Where a BatchSource is: plain JSON, stored in a checkpoint's state.json. */
export type BatchPosition = Record<string, unknown>;

export interface BatchSource {
  readonly batchSize: number;
  readonly seqLen: number;
  /** The next batch; sources that run out wrap around into a new epoch. */
  next(): Promise<Batch>;
  /** The position to save so that `restore` continues with exactly the same batches. */
  position(): BatchPosition;
  restore(position: BatchPosition): void;
}
