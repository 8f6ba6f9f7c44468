/**
 * Regenerates fineweb-sample.parquet: 6 rows in FineWeb's schema, in 2 row groups of 3.
 * Run: npx tsx src/__fixtures__/make-parquet-fixture.ts (from packages/data).
 */
import { writeFileSync } from "node:fs";
import { parquetWriteBuffer } from "hyparquet-writer";

const texts = [
  "The quick brown fox jumps over the lazy dog. It was the best of times.",
  "Parquet files store columns together, which makes them fast to scan.",
  "FineWeb keeps English pages with a language score above 0.65.",
  "Contact me at jane.doe@example.net for the report on whales.",
  "A second row group starts here. It holds three more documents.",
  "The last document of the sample fixture ends the file.",
];
const buffer = parquetWriteBuffer({
  rowGroupSize: 3,
  columnData: [
    { name: "text", data: texts, type: "STRING" },
    { name: "id", data: texts.map((_, i) => `<urn:uuid:fixture-${i}>`), type: "STRING" },
    { name: "dump", data: texts.map(() => "CC-MAIN-2024-10"), type: "STRING" },
    { name: "url", data: texts.map((_, i) => `https://example.com/page/${i}`), type: "STRING" },
    { name: "date", data: texts.map(() => "2024-02-20T10:00:00Z"), type: "STRING" },
    { name: "file_path", data: texts.map(() => "s3://commoncrawl/fixture.warc.gz"), type: "STRING" },
    { name: "language", data: texts.map(() => "en"), type: "STRING" },
    { name: "language_score", data: texts.map((_, i) => 0.9 - i * 0.01), type: "DOUBLE" },
    { name: "token_count", data: texts.map((t) => BigInt(t.split(" ").length)), type: "INT64" },
  ],
});
writeFileSync(new URL("./fineweb-sample.parquet", import.meta.url), new Uint8Array(buffer));
