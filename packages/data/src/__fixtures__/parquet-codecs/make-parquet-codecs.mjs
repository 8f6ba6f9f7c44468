/**
 * Regenerates the codec fixtures in this folder with an independent Parquet writer: parquet-wasm
 * (the Rust `parquet` crate of arrow-rs compiled to WebAssembly), not hyparquet-writer. One file per
 * codec Parquet allows that arrow-rs writes (uncompressed, snappy, gzip, brotli, zstd, lz4 (Hadoop
 * framing), lz4_raw), 5 rows in FineWeb's schema in 2 row groups, plus `corrupt-page.zstd.parquet`: the
 * zstd file with the first 16 bytes of its second row group's text page overwritten (footer intact).
 * parquet-wasm is not a dependency of the project (15 MB); run it from a scratch folder:
 *   cd "$(mktemp -d)" && npm init -y >/dev/null && npm i parquet-wasm@0.8.0 apache-arrow@21.2.0 \
 *     && node <repo>/packages/data/src/__fixtures__/parquet-codecs/make-parquet-codecs.mjs
 * (imports resolve from the current folder).
 */
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(join(process.cwd(), "package.json"));
const arrow = require("apache-arrow");
const parquet = require("parquet-wasm");

export const TEXTS = [
  "The quick brown fox jumps over the lazy dog. It was the best of times.",
  "Parquet files written by arrow-rs use the same column chunks as pyarrow.",
  "A document with non-ASCII text: naïve café, Zürich, 東京.",
  "The second row group starts here with a fourth document.",
  "The fifth and last document of the codec fixture ends the file.",
];

const table = arrow.tableFromArrays({
  text: TEXTS,
  id: TEXTS.map((_, i) => `<urn:uuid:codec-${i}>`),
  url: TEXTS.map((_, i) => `https://example.org/codec/${i}`),
  language: TEXTS.map(() => "en"),
  language_score: Float64Array.from(TEXTS, (_, i) => 0.9 - i * 0.01),
  token_count: BigInt64Array.from(TEXTS, (t) => BigInt(t.split(" ").length)),
});
const ipc = arrow.tableToIPC(table, "stream");
const dir = fileURLToPath(new URL(".", import.meta.url));
const codecs = ["UNCOMPRESSED", "SNAPPY", "GZIP", "BROTLI", "ZSTD", "LZ4", "LZ4_RAW"];
const files = {};
for (const codec of codecs) {
  const props = new parquet.WriterPropertiesBuilder()
    .setCompression(parquet.Compression[codec])
    .setDictionaryEnabled(false)
    .setMaxRowGroupSize(3)
    .setCreatedBy("parquet-wasm 0.8.0 (arrow-rs) fixture")
    .build();
  const bytes = parquet.writeParquet(parquet.Table.fromIPCStream(ipc), props);
  files[codec] = bytes;
  writeFileSync(join(dir, `codec.${codec.toLowerCase()}.parquet`), bytes);
}
// Corrupt: overwrite the start of the 7th zstd frame (magic 28 b5 2f fd): the first page of the second
// row group's text column (6 columns, one page each, in row group 0). Footer and page headers intact.
const corrupt = Uint8Array.from(files.ZSTD);
const frames = [];
for (let i = 0; i + 3 < corrupt.length; i++)
  if (corrupt[i] === 0x28 && corrupt[i + 1] === 0xb5 && corrupt[i + 2] === 0x2f && corrupt[i + 3] === 0xfd)
    frames.push(i);
if (frames.length < 12) throw new Error(`expected 12 zstd frames, found ${frames.length}`);
corrupt.fill(0xa5, frames[6], frames[6] + 16);
writeFileSync(join(dir, "corrupt-page.zstd.parquet"), corrupt);
console.log(`wrote ${codecs.length + 1} files to ${dir}`);
