/**
 * Reads documents from Parquet files in FineWeb's schema (text, id, dump, url, date,
 * file_path, language, language_score, token_count), one row group at a time so memory stays
 * bounded by the largest row group. Columns other than text and id go to metadata. Every codec
 * Parquet allows is read (snappy, gzip, brotli, zstd, lz4, lz4_raw: hyparquet-compressors).
 * A file whose footer cannot be read is an `unreadable_file` issue; a row group that fails to
 * decode (corrupt page, unknown codec) is one `decode_error` issue naming the file and row group,
 * and the rest of the file is skipped (rows of earlier row groups were good and are kept); with
 * failFast both are LlmErrors naming the file.
 * Reference: datatrove's ParquetReader; hyparquet for decoding. Leaves out: LZO (deprecated,
 * no maintained JS decoder; pass one through `compressors`), encryption.
 */
import type { Document } from "@llm/core";
import { asyncBufferFromFile, type Compressors, parquetMetadataAsync, parquetReadObjects } from "hyparquet";
import { reportIssue, type SourceOptions } from "./source-options.js";

export interface ParquetSourceOptions extends SourceOptions {
  /** Column holding the text. Default "text". */
  textField?: string;
  /** Column holding the id. Default "id"; missing ids become `<path>:<row>`. */
  idField?: string;
  /** Decompressors by codec, over the defaults. Default: hyparquet-compressors (every codec but LZO). */
  compressors?: Compressors;
}

export async function* readParquet(
  path: string,
  options: ParquetSourceOptions = {},
): AsyncGenerator<Document> {
  const textField = options.textField ?? "text";
  const idField = options.idField ?? "id";
  let file: Awaited<ReturnType<typeof asyncBufferFromFile>>;
  let metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>;
  try {
    file = await asyncBufferFromFile(path);
    metadata = await parquetMetadataAsync(file);
  } catch (error) {
    reportIssue(options, {
      source: "parquet",
      input: path,
      rule: "unreadable_file",
      message: `not a readable Parquet file (${(error as Error).message})`,
    });
    return;
  }
  // Loaded on first use, so importing @llm/data stays fast (the snappy decoder compiles wasm).
  const { compressors: allCodecs } = await import("hyparquet-compressors");
  const compressors: Compressors = { ...allCodecs, ...options.compressors };
  let rowStart = 0;
  for (const [groupIndex, group] of metadata.row_groups.entries()) {
    const rowEnd = rowStart + Number(group.num_rows);
    let rows: Record<string, unknown>[];
    try {
      rows = await parquetReadObjects({ file, metadata, rowStart, rowEnd, compressors });
    } catch (error) {
      reportIssue(options, {
        source: "parquet",
        input: path,
        rule: "decode_error",
        message: `row group ${groupIndex} of ${metadata.row_groups.length} (rows ${rowStart}..${rowEnd - 1}) cannot be decoded (${(error as Error).message}); the rest of the file is skipped`,
      });
      return;
    }
    for (const [i, row] of rows.entries()) {
      const input = `${path}:${rowStart + i}`;
      const text = row[textField];
      if (typeof text !== "string") {
        reportIssue(options, {
          source: "parquet",
          input,
          rule: "missing_text",
          message: `column "${textField}" is missing or not a string`,
        });
        continue;
      }
      const { [textField]: _text, ...rest } = row as Record<string, unknown>;
      const metadataOut: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(rest)) {
        metadataOut[key] = typeof value === "bigint" ? Number(value) : value;
      }
      if (metadataOut.file_path === undefined) metadataOut.file_path = path;
      const id = row[idField];
      yield {
        id: typeof id === "string" || typeof id === "number" ? String(id) : input,
        text,
        metadata: metadataOut,
      };
    }
    rowStart = rowEnd;
  }
}
