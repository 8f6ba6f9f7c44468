/**
 * Benchmark: encode throughput on cl100k_base of @llm/tokenizer (getEncoding, whose default
 * engine for GPT-4-family patterns is our JS encoder; and encodeBatch on worker threads)
 * against the `tiktoken` package called directly and `gpt-tokenizer` (pure JS), on the same
 * documents in the same run. Checks that our ids equal tiktoken's, prints MB/s and ratios.
 *
 *   npx tsx --conditions=@llm/source bench/tokenizer/encode.ts [--mb 10] [--workers 2]
 *
 * The first 5% of the documents warm each encoder up (JIT, WASM, building the vocabulary); the
 * rest is timed, so chunk caches (ours, gpt-tokenizer's) hold only what the warm-up saw.
 */
import { parseCliOptions } from "@llm/core";
import { encodeBatch, getEncoding } from "@llm/tokenizer";
import { encode as gptTokenizerEncode } from "gpt-tokenizer/encoding/cl100k_base";
import { get_encoding } from "tiktoken";
import { buildCorpus } from "./corpus.js";

const { values } = parseCliOptions(
  process.argv.slice(2),
  { mb: { type: "string", default: "10" }, workers: { type: "string", default: "2" } },
  { allowPositionals: false },
);
const corpus = buildCorpus(Number(values.mb));
const split = Math.ceil(corpus.documents.length / 20);
const warmup = corpus.documents.slice(0, split);
const docs = corpus.documents.slice(split);
const bytes = docs.reduce((sum, doc) => sum + Buffer.byteLength(doc), 0);
console.log(
  `corpus: ${corpus.documents.length} documents; timed: ${docs.length} documents, ${(bytes / 1e6).toFixed(1)} MB of UTF-8`,
);

function time(label: string, run: (texts: string[]) => number): number {
  run(warmup);
  const start = performance.now();
  const tokens = run(docs);
  const seconds = (performance.now() - start) / 1000;
  console.log(`${label.padEnd(36)} ${(bytes / 1e6 / seconds).toFixed(2).padStart(7)} MB/s  ${tokens} tokens`);
  return seconds;
}

const ours = getEncoding("cl100k_base");
const reference = get_encoding("cl100k_base");
const oursSeconds = time("@llm/tokenizer encode", (texts) =>
  texts.reduce((n, d) => n + ours.encode(d).length, 0),
);
const tiktokenSeconds = time("tiktoken encode_ordinary", (texts) =>
  texts.reduce((n, d) => n + reference.encode_ordinary(d).length, 0),
);
const gptSeconds = time("gpt-tokenizer encode", (texts) =>
  texts.reduce((n, d) => n + gptTokenizerEncode(d).length, 0),
);

// Each encodeBatch call starts fresh workers that rebuild the vocabulary: that start-up is timed.
const workers = Number(values.workers);
const start = performance.now();
const batched = await encodeBatch(ours, docs, { workers, minCharsForWorkers: 0 });
const batchSeconds = (performance.now() - start) / 1000;
const batchTokens = batched.reduce((n, ids) => n + ids.length, 0);
console.log(
  `${`@llm/tokenizer encodeBatch (${workers} workers)`.padEnd(36)} ${(bytes / 1e6 / batchSeconds).toFixed(2).padStart(7)} MB/s  ${batchTokens} tokens`,
);

const same = corpus.documents.every((doc) => {
  const a = ours.encode(doc);
  const b = reference.encode_ordinary(doc);
  return a.length === b.length && a.every((id, i) => id === b[i]);
});
console.log(`ids identical to tiktoken on all ${corpus.documents.length} documents: ${same}`);
reference.free();
console.log(
  `ratios (their time / ours): encode vs tiktoken ${(tiktokenSeconds / oursSeconds).toFixed(2)}x, ` +
    `vs gpt-tokenizer ${(gptSeconds / oursSeconds).toFixed(2)}x; ` +
    `encodeBatch vs tiktoken ${(tiktokenSeconds / batchSeconds).toFixed(2)}x, vs gpt-tokenizer ${(gptSeconds / batchSeconds).toFixed(2)}x`,
);
