/**
 * The byte layout of a token shard, shared by the writer and the reader.
 * A 32-byte little-endian header, then `tokenCount` tokens of 2 (uint16) or 4 (uint32) bytes:
 *   bytes 0..3   magic "LLMT"
 *   bytes 4..7   format version (uint32, currently 1)
 *   bytes 8..11  bytes per token (uint32: 2 = uint16, 4 = uint32)
 *   bytes 12..15 reserved (0)
 *   bytes 16..23 token count (uint64)
 *   bytes 24..31 reserved (0)
 * Reference: nanoGPT/llm.c `.bin` shards (a fixed header followed by raw uint16 tokens).
 * Leaves out: compression and per-document offsets (BOS tokens mark document starts).
 */
import { LlmError, type TokenDtype, type TokenShardHeader } from "@llm/core";

/** "LLMT" as bytes. */
export const SHARD_MAGIC = Uint8Array.from([0x4c, 0x4c, 0x4d, 0x54]);
/** Current format version. */
export const SHARD_VERSION = 1;
/** Size of the header in bytes; tokens start here. */
export const SHARD_HEADER_BYTES = 32;

export function bytesPerToken(dtype: TokenDtype): number {
  return dtype === "uint16" ? 2 : 4;
}

/** The smallest dtype that can hold every id below `vocabSize`. */
export function dtypeForVocab(vocabSize: number): TokenDtype {
  return vocabSize <= 65536 ? "uint16" : "uint32";
}

export function encodeShardHeader(header: TokenShardHeader): Uint8Array {
  const bytes = new Uint8Array(SHARD_HEADER_BYTES);
  bytes.set(SHARD_MAGIC, 0);
  const view = new DataView(bytes.buffer);
  view.setUint32(4, header.version, true);
  view.setUint32(8, bytesPerToken(header.dtype), true);
  view.setBigUint64(16, BigInt(header.tokenCount), true);
  return bytes;
}

/** Parses and validates a header; `path` names the file in errors. */
export function decodeShardHeader(bytes: Uint8Array, path: string): TokenShardHeader {
  if (bytes.length < SHARD_HEADER_BYTES) {
    throw new LlmError("FILE_CORRUPT", `Token shard is shorter than its ${SHARD_HEADER_BYTES}-byte header`, {
      input: path,
      hint: "The file is truncated or not a token shard; re-run the tokenize step to rewrite it.",
    });
  }
  for (let i = 0; i < SHARD_MAGIC.length; i++) {
    if (bytes[i] !== SHARD_MAGIC[i]) {
      throw new LlmError("FILE_CORRUPT", "Not a token shard (bad magic bytes)", {
        input: path,
        hint: "Pass a .bin file written by @llm/data's tokenize step.",
      });
    }
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== SHARD_VERSION) {
    throw new LlmError("UNSUPPORTED_FORMAT", `Token shard format version ${version} is not supported`, {
      input: path,
      hint: `This reader understands version ${SHARD_VERSION}; upgrade @llm/data or re-tokenize.`,
    });
  }
  const width = view.getUint32(8, true);
  if (width !== 2 && width !== 4) {
    throw new LlmError("FILE_CORRUPT", `Token shard has an invalid token width ${width}`, {
      input: path,
      hint: "The header is damaged; re-run the tokenize step.",
    });
  }
  const count = view.getBigUint64(16, true);
  if (count > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new LlmError("FILE_CORRUPT", "Token shard header has an impossible token count", { input: path });
  }
  return { version, dtype: width === 2 ? "uint16" : "uint32", tokenCount: Number(count) };
}
