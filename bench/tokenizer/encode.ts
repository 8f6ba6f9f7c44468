/**
 * Benchmark: encode throughput on cl100k_base of @llm/tokenizer (getEncoding, which runs
 * tiktoken's WASM engine; and encodeBatch on worker threads) against the `tiktoken` package
 * called directly and `gpt-tokenizer` (pure JS), on the same documents in the same run. Checks
 * that our ids equal tiktoken's, prints MB/s and ratios.
 *
 *   npx tsx --conditions=@llm/source bench/tokenizer/encode.ts [--mb 10] [--workers 2]
 */
import { parseArgs } from "node:util";
import { encodeBatch, getEncoding } from "@llm/tokenizer";
import { encode as gptTokenizerEncode } from "gpt-tokenizer/encoding/cl100k_base";
import { get_encoding } from "tiktoken";
import { buildCorpus } from "./corpus.js";

const { values } = parseArgs({
  options: { mb: { type: "string", default: "10" }, workers: { type: "string", default: "2" } },
});
const corpus = buildCorpus(Number(values.mb));
const bytes = corpus.documents.reduce((sum, doc) => sum + Buffer.byteLength(doc), 0);
console.log(`corpus: ${corpus.documents.length} documents, ${(bytes / 1e6).toFixed(1)} MB of UTF-8`);

function time(label: string, run: () => number): { seconds: number; tokens: number } {
  run(); // warm-up (also builds encoders)
  const start = performance.now();
  const tokens = run();
  const seconds = (performance.now() - start) / 1000;
  console.log(`${label.padEnd(34)} ${(bytes / 1e6 / seconds).toFixed(2).padStart(7)} MB/s  ${tokens} tokens`);
  return { seconds, tokens };
}

const ours = getEncoding("cl100k_base");
const reference = get_encoding("cl100k_base");
const sample = corpus.documents.slice(0, 50);
const same = sample.every((doc) => {
  const a = ours.encodeToArray(doc);
  const b = reference.encode_ordinary(doc);
  return a.length === b.length && a.every((id, i) => id === b[i]);
});
console.log(`ids identical to tiktoken on the first ${sample.length} documents: ${same}`);

const docs = corpus.documents;
const oursResult = time("@llm/tokenizer encode", () =>
  docs.reduce((n, d) => n + ours.encodeToArray(d).length, 0),
);
const tiktokenResult = time("tiktoken encode_ordinary", () =>
  docs.reduce((n, d) => n + reference.encode_ordinary(d).length, 0),
);
const gptResult = time("gpt-tokenizer encode", () =>
  docs.reduce((n, d) => n + gptTokenizerEncode(d).length, 0),
);

const workers = Number(values.workers);
await encodeBatch(ours, docs.slice(0, 4), { workers, minCharsForWorkers: 0 }); // warm-up
let start = performance.now();
const batched = await encodeBatch(ours, docs, { workers, minCharsForWorkers: 0 });
const batchSeconds = (performance.now() - start) / 1000;
const batchTokens = batched.reduce((n, ids) => n + ids.length, 0);
console.log(
  `${`@llm/tokenizer encodeBatch (${workers} workers)`.padEnd(34)} ${(bytes / 1e6 / batchSeconds).toFixed(2).padStart(7)} MB/s  ${batchTokens} tokens`,
);

start = performance.now();
reference.free();
console.log(
  `ratios (their time / ours): vs tiktoken ${(tiktokenResult.seconds / oursResult.seconds).toFixed(2)}x, ` +
    `vs gpt-tokenizer ${(gptResult.seconds / oursResult.seconds).toFixed(2)}x; ` +
    `encodeBatch vs tiktoken ${(tiktokenResult.seconds / batchSeconds).toFixed(2)}x, vs gpt-tokenizer ${(gptResult.seconds / batchSeconds).toFixed(2)}x`,
);
