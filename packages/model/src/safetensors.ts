/**
 * safetensors: reader and writer of the safetensors format (an 8-byte little-endian header length,
 * a JSON header mapping tensor names to dtype, shape and byte offsets, then the raw little-endian
 * data), so checkpoints load in PyTorch and Hugging Face tools. Every malformed file raises an
 * LlmError naming what is wrong. Reference: huggingface/safetensors format spec.
 * Leaves out: dtypes other than F32, F16 (read only), I32 and I64 (read as int32), memory mapping.
 */
import { readFile } from "node:fs/promises";
import { LlmError, writeFileAtomic } from "@llm/core";
import { RERUN_HINT } from "./rerun-hint.js";

/** One named tensor as plain data. */
export interface NamedArray {
  shape: number[];
  data: Float32Array | Int32Array;
}

/** The contents of a safetensors file. */
export interface SafetensorsContents {
  tensors: Map<string, NamedArray>;
  metadata: Record<string, string>;
}

const DTYPE_BYTES: Record<string, number> = { F32: 4, F16: 2, I32: 4, I64: 8 };

/** Serialises tensors (in the map's order) and string metadata to safetensors bytes. */
export function encodeSafetensors(
  tensors: ReadonlyMap<string, NamedArray>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, t] of tensors) {
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (size !== t.data.length) {
      throw new LlmError(
        "INVALID_ARGUMENT",
        `tensor ${name} has ${t.data.length} values for shape [${t.shape}]`,
        {
          input: name,
          hint: "Pass data whose length is the product of the shape.",
        },
      );
    }
    const bytes = t.data.length * 4;
    header[name] = {
      dtype: t.data instanceof Int32Array ? "I32" : "F32",
      shape: t.shape,
      data_offsets: [offset, offset + bytes],
    };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  while ((8 + Buffer.byteLength(json)) % 8 !== 0) json += " ";
  const headerBytes = Buffer.from(json, "utf8");
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const t of tensors.values()) {
    const src = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    out.set(src, at); // little-endian hosts only: every platform Node supports
    at += src.length;
  }
  return out;
}

/** Parses safetensors bytes; `source` names the file in errors. */
export function decodeSafetensors(bytes: Uint8Array, source = "safetensors"): SafetensorsContents {
  const corrupt = (what: string): LlmError =>
    new LlmError("FILE_CORRUPT", `${source} is not a valid safetensors file: ${what}`, {
      input: source,
      hint: `The file is truncated or damaged. ${RERUN_HINT}`,
    });
  if (bytes.length < 8) throw corrupt("shorter than its 8-byte header length");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerBig = view.getBigUint64(0, true);
  if (headerBig > BigInt(bytes.length - 8))
    throw corrupt(`header length ${headerBig} (bytes) exceeds the file size (${bytes.length} bytes)`);
  const headerLength = Number(headerBig);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + headerLength)).toString("utf8"));
  } catch {
    throw corrupt("header is not JSON");
  }
  if (typeof header !== "object" || header === null || Array.isArray(header))
    throw corrupt("header is not an object");
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const tensors = new Map<string, NamedArray>();
  let metadata: Record<string, string> = {};
  let covered = 0;
  for (const [name, entry] of Object.entries(header)) {
    if (name === "__metadata__") {
      metadata = (entry ?? {}) as Record<string, string>;
      continue;
    }
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const width = typeof e.dtype === "string" ? DTYPE_BYTES[e.dtype] : undefined;
    if (width === undefined) throw corrupt(`tensor ${name} has unsupported dtype ${String(e.dtype)}`);
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw corrupt(`tensor ${name} has an invalid shape`);
    }
    const offsets = e.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2)
      throw corrupt(`tensor ${name} has invalid data_offsets`);
    const [begin, end] = offsets as [number, number];
    const count = (e.shape as number[]).reduce((a, b) => a * b, 1);
    if (!(Number.isInteger(begin) && Number.isInteger(end) && begin >= 0 && end >= begin)) {
      throw corrupt(`tensor ${name} has invalid data_offsets`);
    }
    if (end > dataLength)
      throw corrupt(`tensor ${name} ends at byte ${end}, past the end of the data (${dataLength})`);
    if (end - begin !== count * width)
      throw corrupt(`tensor ${name} has ${end - begin} bytes for shape [${e.shape}]`);
    covered += end - begin;
    const raw = new Uint8Array(bytes.subarray(dataStart + begin, dataStart + end)); // a copy: aligned and owned
    let data: Float32Array | Int32Array;
    if (e.dtype === "F32") data = new Float32Array(raw.buffer, 0, count);
    else if (e.dtype === "I32") data = new Int32Array(raw.buffer, 0, count);
    else if (e.dtype === "I64") {
      const big = new BigInt64Array(raw.buffer, 0, count);
      data = Int32Array.from(big, (x) => Number(x));
    } else data = halfToFloat(new Uint16Array(raw.buffer, 0, count));
    tensors.set(name, { shape: e.shape as number[], data });
  }
  if (covered !== dataLength)
    throw corrupt(`data section has ${dataLength} bytes, the header describes ${covered}`);
  return { tensors, metadata };
}

/** Writes tensors to `path` atomically. */
export async function saveSafetensors(
  path: string,
  tensors: ReadonlyMap<string, NamedArray>,
  metadata: Record<string, string> = {},
): Promise<void> {
  await writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}

/** Reads a safetensors file; a missing file raises FILE_NOT_FOUND, a malformed one FILE_CORRUPT. */
export async function loadSafetensors(path: string): Promise<SafetensorsContents> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new LlmError("FILE_NOT_FOUND", `cannot read ${path}`, {
      input: path,
      hint: "Check the path; a checkpoint folder holds model.safetensors and optimizer.safetensors.",
      cause: error,
    });
  }
  return decodeSafetensors(bytes, path);
}

function halfToFloat(half: Uint16Array): Float32Array {
  const out = new Float32Array(half.length);
  for (let i = 0; i < half.length; i++) {
    const h = half[i] as number;
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    if (exp === 0) out[i] = sign * 2 ** -14 * (frac / 1024);
    else if (exp === 31) out[i] = frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
    else out[i] = sign * 2 ** (exp - 15) * (1 + frac / 1024);
  }
  return out;
}
