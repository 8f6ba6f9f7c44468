/**
 * Reads documents from JSON Lines files, one object per line, in constant memory. The text and
 * id fields are configurable; every other field goes to metadata. Malformed lines, invalid
 * UTF-8, non-string text and over-long lines are reported as issues and skipped (or, with
 * failFast, thrown), like every corpus source: a raw corpus keeps going past a bad row. Files the
 * tools write themselves are read with @llm/core's streamJsonl, which stops at a bad line.
 * Reference: datatrove's JsonlReader. Leaves out: compressed (.gz) files.
 */
import type { Document } from "@llm/core";
import { readLines } from "./line-reader.js";
import {
  DEFAULT_MAX_DOCUMENT_BYTES,
  decodeUtf8Strict,
  reportIssue,
  type SourceOptions,
} from "./source-options.js";

export interface JsonlSourceOptions extends SourceOptions {
  /** Field holding the text. Default "text". */
  textField?: string;
  /** Field holding the id. Default "id"; missing ids become `<path>:<line>`. */
  idField?: string;
}

export async function* readJsonlDocuments(
  path: string,
  options: JsonlSourceOptions = {},
): AsyncGenerator<Document> {
  const textField = options.textField ?? "text";
  const idField = options.idField ?? "id";
  const max = options.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
  let any = false;
  for await (const item of readLines(path, max)) {
    const input = `${path}:${item.line}`;
    if ("tooLong" in item) {
      reportIssue(options, {
        source: "jsonl",
        input,
        rule: "too_large",
        message: `line of ${item.tooLong} bytes is over maxDocumentBytes ${max}`,
      });
      continue;
    }
    if (item.bytes.length === 0) continue;
    any = true;
    const text = decodeUtf8Strict(item.bytes);
    if (text === undefined) {
      reportIssue(options, {
        source: "jsonl",
        input,
        rule: "invalid_utf8",
        message: "line is not valid UTF-8",
      });
      continue;
    }
    if (text.trim() === "") continue;
    let row: unknown;
    try {
      row = JSON.parse(text);
    } catch (error) {
      reportIssue(options, {
        source: "jsonl",
        input,
        rule: "malformed_json",
        message: `line is not valid JSON (${(error as Error).message})`,
      });
      continue;
    }
    if (typeof row !== "object" || row === null || Array.isArray(row)) {
      reportIssue(options, {
        source: "jsonl",
        input,
        rule: "not_an_object",
        message: "line is not a JSON object",
      });
      continue;
    }
    const record = row as Record<string, unknown>;
    const value = record[textField];
    if (typeof value !== "string") {
      reportIssue(options, {
        source: "jsonl",
        input,
        rule: "missing_text",
        message: `field "${textField}" is missing or not a string`,
      });
      continue;
    }
    const { [textField]: _text, ...metadata } = record;
    const id = record[idField];
    yield {
      id: typeof id === "string" || typeof id === "number" ? String(id) : input,
      text: value,
      metadata: { ...metadata, file_path: path },
    };
  }
  if (!any)
    reportIssue(options, { source: "jsonl", input: path, rule: "empty_file", message: "file has no lines" });
}
