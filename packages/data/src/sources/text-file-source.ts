/**
 * Reads plain text and HTML files as documents (one file, one document), from a list of paths
 * or folders walked recursively in sorted order. HTML files get metadata.content_type
 * "text/html" so the HTML extraction filter turns them into main text. Empty, over-large and
 * non-UTF-8 files are reported as issues and skipped (or, with `invalidUtf8: "replace"`,
 * decoded with U+FFFD). Reference: datatrove's TextReader-like readers. Leaves out: encodings
 * other than UTF-8 (detecting legacy charsets is a project of its own).
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import type { Document } from "@llm/core";
import {
  DEFAULT_MAX_DOCUMENT_BYTES,
  decodeUtf8Strict,
  reportIssue,
  type SourceOptions,
} from "./source-options.js";

export interface TextFileSourceOptions extends SourceOptions {
  /** File extensions read when walking folders. Default [".txt", ".md", ".html", ".htm"]. */
  extensions?: readonly string[];
  /** What to do with bytes that are not UTF-8. Default "skip" (report and skip the file). */
  invalidUtf8?: "skip" | "replace";
}

const HTML_EXTENSIONS = new Set([".html", ".htm", ".xhtml"]);
const replacingDecoder = new TextDecoder("utf-8");

/** Expands folders into their files (sorted, recursive), keeping only wanted extensions. */
export async function listFiles(paths: readonly string[], extensions: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  const wanted = new Set(extensions.map((e) => e.toLowerCase()));
  const walk = async (path: string, explicit: boolean): Promise<void> => {
    const info = await stat(path);
    if (info.isDirectory()) {
      const names = (await readdir(path)).filter((n) => !n.startsWith(".") && !n.startsWith("_")).sort();
      for (const name of names) await walk(join(path, name), false);
    } else if (explicit || wanted.has(extname(path).toLowerCase()) || wanted.has(doubleExt(path)))
      out.push(path);
  };
  for (const path of paths) await walk(path, true);
  return out;
}

function doubleExt(path: string): string {
  const m = /(\.[a-z0-9]+\.[a-z0-9]+)$/i.exec(path);
  return m ? (m[1] as string).toLowerCase() : "";
}

export async function* readTextFiles(
  paths: readonly string[],
  options: TextFileSourceOptions = {},
): AsyncGenerator<Document> {
  const files = await listFiles(paths, options.extensions ?? [".txt", ".md", ".html", ".htm"]);
  for (const file of files) yield* readTextFile(file, options);
}

/** One file as (at most) one document. */
export async function* readTextFile(
  file: string,
  options: TextFileSourceOptions = {},
): AsyncGenerator<Document> {
  const max = options.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
  const size = (await stat(file)).size;
  if (size === 0) {
    reportIssue(options, { source: "text", input: file, rule: "empty_file", message: "file is empty" });
    return;
  }
  if (size > max) {
    reportIssue(options, {
      source: "text",
      input: file,
      rule: "too_large",
      message: `file of ${size} bytes is over maxDocumentBytes ${max}`,
    });
    return;
  }
  const bytes = await readFile(file);
  let text = decodeUtf8Strict(bytes);
  if (text === undefined) {
    if (options.invalidUtf8 === "replace") text = replacingDecoder.decode(bytes);
    else {
      reportIssue(options, {
        source: "text",
        input: file,
        rule: "invalid_utf8",
        message: "file is not valid UTF-8",
      });
      return;
    }
  }
  const html = HTML_EXTENSIONS.has(extname(file).toLowerCase());
  yield { id: file, text, metadata: { file_path: file, ...(html ? { content_type: "text/html" } : {}) } };
}
