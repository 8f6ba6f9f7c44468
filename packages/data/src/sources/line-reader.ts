/**
 * Streams the lines of a file as raw bytes in constant memory: a line longer than
 * `maxLineBytes` is not buffered but reported (by line number) and skipped to its newline.
 * Reference: Node's readline, which buffers whole lines; this one bounds memory.
 * Leaves out: "\r"-only line endings (a trailing "\r" before "\n" is stripped).
 */
import { createReadStream } from "node:fs";

export type LineItem = { line: number; bytes: Uint8Array } | { line: number; tooLong: number };

export async function* readLines(path: string, maxLineBytes: number): AsyncGenerator<LineItem> {
  let parts: Uint8Array[] = [];
  let size = 0;
  let skipping = false;
  let line = 1;
  const emit = (): LineItem | undefined => {
    let item: LineItem | undefined;
    if (skipping) item = { line, tooLong: size };
    else {
      let bytes = parts.length === 1 ? (parts[0] as Uint8Array) : concat(parts, size);
      if (bytes.length > 0 && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
      item = { line, bytes };
    }
    parts = [];
    size = 0;
    skipping = false;
    line++;
    return item;
  };
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(0x0a, start);
      const end = nl < 0 ? chunk.length : nl;
      const piece = chunk.subarray(start, end);
      size += piece.length;
      if (size > maxLineBytes) {
        skipping = true;
        parts = [];
      } else if (!skipping && piece.length > 0) parts.push(Uint8Array.from(piece));
      if (nl < 0) break;
      const item = emit();
      if (item) yield item;
      start = nl + 1;
    }
  }
  if (size > 0 || skipping || parts.length > 0) {
    const item = emit();
    if (item) yield item;
  }
}

function concat(parts: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
