import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Document, isLlmError } from "@llm/core";
import { asyncBufferFromFile, parquetMetadataAsync } from "hyparquet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CleaningRun } from "../run/run-cleaning.js";
import { readParquet } from "./parquet-source.js";
import type { SourceIssue } from "./source-options.js";

// Written by parquet-wasm (arrow-rs), an independent writer: see make-parquet-codecs.mjs there.
const fixtures = fileURLToPath(new URL("../__fixtures__/parquet-codecs/", import.meta.url));
const TEXTS = [
  "The quick brown fox jumps over the lazy dog. It was the best of times.",
  "Parquet files written by arrow-rs use the same column chunks as pyarrow.",
  "A document with non-ASCII text: naïve café, Zürich, 東京.",
  "The second row group starts here with a fourth document.",
  "The fifth and last document of the codec fixture ends the file.",
];
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "llm-data-parquet-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect(docs: AsyncIterable<Document>): Promise<Document[]> {
  const out: Document[] = [];
  for await (const d of docs) out.push(d);
  return out;
}

describe("Parquet codecs (files written by arrow-rs)", () => {
  for (const codec of ["uncompressed", "snappy", "gzip", "brotli", "zstd", "lz4", "lz4_raw"]) {
    it(`reads ${codec} with no options`, async () => {
      const path = join(fixtures, `codec.${codec}.parquet`);
      const metadata = await parquetMetadataAsync(await asyncBufferFromFile(path));
      expect(metadata.created_by).toContain("arrow-rs");
      const expected = codec === "lz4" ? ["LZ4", "LZ4_RAW"] : [codec.toUpperCase()];
      expect(expected).toContain(metadata.row_groups[0]?.columns[0]?.meta_data?.codec);
      expect(metadata.row_groups).toHaveLength(2);
      const issues: SourceIssue[] = [];
      const docs = await collect(readParquet(path, { onIssue: (i) => issues.push(i) }));
      expect(issues).toEqual([]);
      expect(docs.map((d) => d.text)).toEqual(TEXTS);
      expect(docs[4]).toMatchObject({
        id: "<urn:uuid:codec-4>",
        metadata: { url: "https://example.org/codec/4" },
      });
    });
  }

  it("a corrupt data page is one source issue naming the file, not a crash", async () => {
    const path = join(fixtures, "corrupt-page.zstd.parquet");
    const issues: SourceIssue[] = [];
    const docs = await collect(readParquet(path, { onIssue: (i) => issues.push(i) }));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ source: "parquet", rule: "decode_error" });
    expect(issues[0]?.input).toContain("corrupt-page.zstd.parquet");
    expect(issues[0]?.message).toMatch(/row group/);
    // Rows decoded before the damaged row group are good data and are kept.
    expect(TEXTS.slice(0, docs.length)).toEqual(docs.map((d) => d.text));
    // The cleaning run records it as an exclusion.
    const run = new CleaningRun([]);
    for await (const d of readParquet(path, { onIssue: run.recordIssue })) await run.process(d);
    expect(run.stats.sourceIssues).toEqual({ decode_error: 1 });
  });

  it("with failFast a decode failure is an LlmError naming the file", async () => {
    const error = await collect(
      readParquet(join(fixtures, "corrupt-page.zstd.parquet"), { failFast: true }),
    ).catch((e: unknown) => e);
    expect(isLlmError(error, "INVALID_INPUT")).toBe(true);
    expect((error as { input: string }).input).toContain("corrupt-page.zstd.parquet");
  });

  it("a truncated file (footer gone) is unreadable_file naming it", async () => {
    const { readFile } = await import("node:fs/promises");
    const bytes = await readFile(join(fixtures, "codec.zstd.parquet"));
    const cut = join(dir, "cut.parquet");
    await writeFile(cut, bytes.subarray(0, bytes.length - 40));
    const issues: SourceIssue[] = [];
    expect(await collect(readParquet(cut, { onIssue: (i) => issues.push(i) }))).toEqual([]);
    expect(issues[0]).toMatchObject({ rule: "unreadable_file", input: cut });
  });
});
