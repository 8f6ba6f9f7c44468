/**
 * Reads a binary token shard (layout in token-shard-format.ts) by random access, without
 * loading it whole. Opening checks the magic, version, width and that the file size matches
 * the header's token count, so a truncated or padded shard fails with an LlmError naming it.
 * Reference: nanoGPT's np.memmap over .bin shards. Leaves out: memory mapping.
 */

import type { FileHandle } from "node:fs/promises";
import { open, stat } from "node:fs/promises";
import { LlmError, type TokenShardHeader, type TokenShardReader } from "@llm/core";
import { bytesPerToken, decodeShardHeader, SHARD_HEADER_BYTES } from "./token-shard-format.js";

export class ShardFileReader implements TokenShardReader {
  readonly path: string;
  readonly header: TokenShardHeader;
  private readonly handle: FileHandle;
  private readonly width: number;
  private closed = false;

  private constructor(path: string, header: TokenShardHeader, handle: FileHandle) {
    this.path = path;
    this.header = header;
    this.handle = handle;
    this.width = bytesPerToken(header.dtype);
  }

  static async open(path: string): Promise<ShardFileReader> {
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch (error) {
      throw new LlmError("FILE_NOT_FOUND", "Token shard not found", {
        input: path,
        hint: "Check the path, or run the tokenize step first.",
        cause: error,
      });
    }
    const handle = await open(path, "r");
    try {
      const headerBytes = new Uint8Array(SHARD_HEADER_BYTES);
      const { bytesRead } = await handle.read(headerBytes, 0, SHARD_HEADER_BYTES, 0);
      const header = decodeShardHeader(headerBytes.subarray(0, bytesRead), path);
      const expected = SHARD_HEADER_BYTES + header.tokenCount * bytesPerToken(header.dtype);
      if (size !== expected) {
        throw new LlmError(
          "FILE_CORRUPT",
          `Token shard is ${size} bytes but its header promises ${header.tokenCount} ${header.dtype} tokens (${expected} bytes); it is ${size < expected ? "truncated" : "padded"}`,
          { input: path, hint: "Delete the shard and re-run the tokenize step." },
        );
      }
      return new ShardFileReader(path, header, handle);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async read(offset: number, count: number): Promise<Uint32Array> {
    if (this.closed)
      throw new LlmError("INVALID_ARGUMENT", "Read from a closed shard reader", { input: this.path });
    if (!Number.isInteger(offset) || !Number.isInteger(count) || offset < 0 || count < 0) {
      throw new LlmError("INVALID_ARGUMENT", `Invalid shard range offset=${offset} count=${count}`, {
        input: this.path,
      });
    }
    if (offset + count > this.header.tokenCount) {
      throw new LlmError(
        "INVALID_ARGUMENT",
        `Shard range [${offset}, ${offset + count}) is past its ${this.header.tokenCount} tokens`,
        { input: this.path },
      );
    }
    const bytes = new Uint8Array(count * this.width);
    let done = 0;
    while (done < bytes.length) {
      const { bytesRead } = await this.handle.read(
        bytes,
        done,
        bytes.length - done,
        SHARD_HEADER_BYTES + offset * this.width + done,
      );
      if (bytesRead === 0) {
        throw new LlmError("FILE_CORRUPT", "Token shard ended early while reading", {
          input: this.path,
          hint: "The file changed on disk after it was opened; re-run the tokenize step.",
        });
      }
      done += bytesRead;
    }
    const out = new Uint32Array(count);
    const view = new DataView(bytes.buffer);
    if (this.width === 2) for (let i = 0; i < count; i++) out[i] = view.getUint16(i * 2, true);
    else for (let i = 0; i < count; i++) out[i] = view.getUint32(i * 4, true);
    return out;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }
}

/** Opens a token shard for reading; throws FILE_CORRUPT naming the file if it is damaged. */
export function openShardReader(path: string): Promise<ShardFileReader> {
  return ShardFileReader.open(path);
}
