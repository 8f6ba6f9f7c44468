/**
 * Streams token ids into a binary shard (layout in token-shard-format.ts). Tokens go to a temp
 * file beside the target through a small buffer; `close` writes the final header, fsyncs and
 * renames, so the shard appears whole or not at all. Reference: nanoGPT's prepare.py writing
 * uint16 .bin files. Leaves out: appending to an existing shard.
 */

import type { FileHandle } from "node:fs/promises";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import {
  LlmError,
  type TokenDtype,
  type TokenShardHeader,
  type TokenShardWriter,
  tempPathFor,
} from "@llm/core";
import { bytesPerToken, encodeShardHeader, SHARD_HEADER_BYTES, SHARD_VERSION } from "./token-shard-format.js";

export interface ShardWriterOptions {
  /** Token width on disk. Default "uint16" (vocabularies up to 65,536 ids). */
  dtype?: TokenDtype;
  /** Tokens buffered in memory before a write to disk. Default 65,536. */
  bufferTokens?: number;
}

export class ShardFileWriter implements TokenShardWriter {
  readonly path: string;
  readonly dtype: TokenDtype;
  private readonly temp: string;
  private readonly handle: FileHandle;
  private readonly buffer: Uint8Array;
  private readonly view: DataView;
  private readonly width: number;
  private readonly maxId: number;
  private used = 0;
  private filePos = SHARD_HEADER_BYTES;
  private count = 0;
  private state: "open" | "closed" | "aborted" = "open";

  private constructor(
    path: string,
    temp: string,
    handle: FileHandle,
    dtype: TokenDtype,
    bufferTokens: number,
  ) {
    this.path = path;
    this.temp = temp;
    this.handle = handle;
    this.dtype = dtype;
    this.width = bytesPerToken(dtype);
    this.maxId = dtype === "uint16" ? 0xffff : 0xffffffff;
    this.buffer = new Uint8Array(bufferTokens * this.width);
    this.view = new DataView(this.buffer.buffer);
  }

  /** Opens a temp file beside `path`; nothing appears at `path` until `close`. */
  static async open(path: string, options: ShardWriterOptions = {}): Promise<ShardFileWriter> {
    const dtype = options.dtype ?? "uint16";
    if (dtype !== "uint16" && dtype !== "uint32") {
      throw new LlmError("INVALID_ARGUMENT", `Unknown token dtype "${String(dtype)}"`, {
        input: "dtype",
        hint: 'Use "uint16" (vocab <= 65,536) or "uint32".',
      });
    }
    await mkdir(dirname(path), { recursive: true });
    const temp = tempPathFor(path);
    const handle = await open(temp, "w");
    await handle.write(new Uint8Array(SHARD_HEADER_BYTES), 0, SHARD_HEADER_BYTES, 0);
    return new ShardFileWriter(path, temp, handle, dtype, Math.max(1, options.bufferTokens ?? 65536));
  }

  /** Tokens written so far. */
  get tokenCount(): number {
    return this.count;
  }

  async write(ids: readonly number[] | Uint32Array): Promise<void> {
    if (this.state !== "open") {
      throw new LlmError("INVALID_ARGUMENT", "Write to a shard writer that is already closed", {
        input: this.path,
      });
    }
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      if (!Number.isInteger(id) || id < 0 || id > this.maxId) {
        throw new LlmError("INVALID_ARGUMENT", `Token id ${id} does not fit in ${this.dtype}`, {
          input: this.path,
          hint:
            this.dtype === "uint16"
              ? 'Open the writer with dtype "uint32" for vocabularies over 65,536.'
              : undefined,
        });
      }
      if (this.width === 2) this.view.setUint16(this.used, id, true);
      else this.view.setUint32(this.used, id, true);
      this.used += this.width;
      this.count++;
      if (this.used === this.buffer.length) await this.flush();
    }
  }

  private async flush(): Promise<void> {
    if (this.used === 0) return;
    await this.handle.write(this.buffer, 0, this.used, this.filePos);
    this.filePos += this.used;
    this.used = 0;
  }

  async close(): Promise<TokenShardHeader> {
    if (this.state !== "open") {
      throw new LlmError("INVALID_ARGUMENT", "Shard writer closed twice", { input: this.path });
    }
    const header: TokenShardHeader = { version: SHARD_VERSION, dtype: this.dtype, tokenCount: this.count };
    try {
      await this.flush();
      await this.handle.write(encodeShardHeader(header), 0, SHARD_HEADER_BYTES, 0);
      await this.handle.sync();
      await this.handle.close();
      await rename(this.temp, this.path);
    } catch (error) {
      await this.handle.close().catch(() => {});
      await rm(this.temp, { force: true });
      this.state = "aborted";
      throw error;
    }
    this.state = "closed";
    return header;
  }

  async abort(): Promise<void> {
    if (this.state !== "open") return;
    this.state = "aborted";
    await this.handle.close().catch(() => {});
    await rm(this.temp, { force: true });
  }
}

/** Opens a streaming shard writer at `path` (published atomically on `close`). */
export function openShardWriter(path: string, options: ShardWriterOptions = {}): Promise<ShardFileWriter> {
  return ShardFileWriter.open(path, options);
}
