/**
 * Reads HTML pages from WARC files (plain or gzipped) as documents: every `response` record
 * whose HTTP Content-Type is HTML becomes one document with metadata url, date and
 * content_type "text/html" (the HTML extraction filter then takes out the main text).
 * Records are streamed one at a time. Reference: datatrove's WarcReader; parsing by webrecorder's
 * warcio.js. Leaves out: non-HTML payloads (PDF, images) and charsets other than UTF-8
 * (invalid bytes become U+FFFD).
 */
import { createReadStream } from "node:fs";
import type { Document } from "@llm/core";
import { DEFAULT_MAX_DOCUMENT_BYTES, reportIssue, type SourceOptions } from "./source-options.js";

const decoder = new TextDecoder("utf-8");

export async function* readWarc(path: string, options: SourceOptions = {}): AsyncGenerator<Document> {
  const max = options.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
  const { WARCParser } = await import("warcio");
  const parser = new WARCParser(createReadStream(path) as unknown as AsyncIterable<Uint8Array>);
  let index = 0;
  try {
    for await (const record of parser) {
      index++;
      if (record.warcType !== "response") continue;
      const contentType = record.httpHeaders?.headers.get("Content-Type") ?? "";
      if (!/html/i.test(contentType)) continue;
      const url = record.warcTargetURI ?? "";
      const id = record.warcHeader("WARC-Record-ID") ?? `${path}#${index}`;
      const bytes = await record.readFully(false);
      if (bytes.length > max) {
        reportIssue(options, {
          source: "warc",
          input: `${path}#${index}`,
          rule: "too_large",
          message: `record of ${bytes.length} bytes is over maxDocumentBytes ${max}`,
        });
        continue;
      }
      yield {
        id,
        text: decoder.decode(bytes),
        metadata: { url, date: record.warcDate ?? undefined, content_type: "text/html", file_path: path },
      };
    }
  } catch (error) {
    if ((error as { code?: string }).code === "INVALID_INPUT") throw error;
    reportIssue(options, {
      source: "warc",
      input: `${path}#${index}`,
      rule: "unreadable_record",
      message: `WARC parsing stopped (${(error as Error).message})`,
    });
  }
}
