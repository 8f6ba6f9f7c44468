/**
 * Reads documents from Parquet files in FineWeb's schema (text, id, dump, url, date,
 * file_path, language, language_score, token_count), one row group at a time so memory stays
 * bounded by the largest row group. Columns other than text and id go to metadata.
 * Reference: datatrove's ParquetReader; hyparquet for decoding. Leaves out: compressions
 * hyparquet lacks built in (zstd, brotli): pass them through `compressors`
 * (e.g. from hyparquet-compressors).
 */
import type { Document } from "@llm/core";
import { asyncBufferFromFile, type Compressors, parquetMetadataAsync, parquetReadObjects } from "hyparquet";
import { reportIssue, type SourceOptions } from "./source-options.js";

export interface ParquetSourceOptions extends SourceOptions {
  /** Column holding the text. Default "text". */
  textField?: string;
  /** Column holding the id. Default "id"; missing ids become `<path>:<row>`. */
  idField?: string;
  /** Extra decompressors for hyparquet (zstd, brotli, ...). Default: hyparquet's built-ins. */
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
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    const rows = await parquetReadObjects({
      file,
      metadata,
      rowStart,
      rowEnd,
      ...(options.compressors ? { compressors: options.compressors } : {}),
    });
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
