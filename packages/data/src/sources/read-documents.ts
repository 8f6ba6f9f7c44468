/**
 * Reads any supported input file as documents, choosing the reader by extension:
 * .jsonl/.ndjson (JSON Lines), .parquet (FineWeb schema), .warc/.warc.gz (HTML responses),
 * .html/.htm and .txt/.md (one file, one document). This is what a sharded run calls on each
 * of its files. Reference: datatrove's readers. Leaves out: compressed JSONL.
 */
import { extname } from "node:path";
import { type Document, LlmError } from "@llm/core";
import { type JsonlSourceOptions, readJsonlDocuments } from "./jsonl-source.js";
import { type ParquetSourceOptions, readParquet } from "./parquet-source.js";
import { readTextFile, type TextFileSourceOptions } from "./text-file-source.js";
import { readWarc } from "./warc-source.js";

export type ReadDocumentsOptions = JsonlSourceOptions & ParquetSourceOptions & TextFileSourceOptions;

/** Extensions readDocuments understands (lower case). */
export const DOCUMENT_EXTENSIONS = [
  ".jsonl",
  ".ndjson",
  ".parquet",
  ".warc",
  ".warc.gz",
  ".html",
  ".htm",
  ".txt",
  ".md",
] as const;

export function readDocuments(path: string, options: ReadDocumentsOptions = {}): AsyncGenerator<Document> {
  const lower = path.toLowerCase();
  if (lower.endsWith(".warc") || lower.endsWith(".warc.gz")) return readWarc(path, options);
  const ext = extname(lower);
  if (ext === ".jsonl" || ext === ".ndjson") return readJsonlDocuments(path, options);
  if (ext === ".parquet") return readParquet(path, options);
  if (ext === ".html" || ext === ".htm" || ext === ".txt" || ext === ".md" || ext === "") {
    return readTextFile(path, options);
  }
  throw new LlmError("UNSUPPORTED_FORMAT", `No reader for files ending in "${ext}"`, {
    input: path,
    hint: `Supported: ${DOCUMENT_EXTENSIONS.join(", ")}.`,
  });
}
