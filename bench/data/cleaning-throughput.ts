/**
 * Data bench: throughput of @llm/data's full FineWeb-style cleaning chain on real text
 * (SpamAssassin emails + State of the Union addresses), in documents/s and MB/s per core, and
 * the speedup from running ranks in worker threads (same inputs, same run, ratio printed).
 * Run from the repo root:
 *   npx tsx --conditions=@llm/source bench/data/cleaning-throughput.ts [--emails 1500] [--workers 2]
 * Leaves out: a Python reference (datatrove is not installable offline here); the worker
 * speedup is the ratio measured in one run.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import type { Document } from "@llm/core";
import { parseCliOptions } from "@llm/core";
import { defaultCleaningChain, formatSummaryTable, readCorpus, runCleaning, runLocal } from "@llm/data";

const { values } = parseCliOptions(
  process.argv.slice(2),
  { emails: { type: "string", default: "1500" }, workers: { type: "string", default: "2" } },
  { allowPositionals: false },
);
const emails = Number(values.emails);
const workers = Number(values.workers);

const docs: Document[] = [];
for await (const d of readCorpus("spam-assassin", { perGroupLimit: Math.ceil(emails / 5) })) docs.push(d);
for await (const d of readCorpus("sotu")) docs.push(d);
const bytes = docs.reduce((s, d) => s + Buffer.byteLength(d.text), 0);
const mb = bytes / 1e6;
console.log(`input: ${docs.length} documents (${emails} emails + State of the Union), ${mb.toFixed(1)} MB`);

// 1. In-process, one thread, the whole chain including dedup and PII.
// CPU time (user + system) is what "per core" means, and it stays meaningful on a busy machine.
const chain = defaultCleaningChain();
await runCleaning(docs.slice(0, 5), defaultCleaningChain()); // load eld, linkedom and Readability first
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const { stats } = await runCleaning(docs, chain);
const cpu = process.cpuUsage(cpu0);
const wall = (performance.now() - t0) / 1000;
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
console.log(formatSummaryTable(stats));
console.log(
  `in-process, 1 thread: ${cpuSeconds.toFixed(1)} CPU s (${wall.toFixed(1)} s wall): ${(docs.length / cpuSeconds).toFixed(0)} docs/s and ${(mb / cpuSeconds).toFixed(2)} MB/s per core`,
);

// 2. Sharded run over JSONL files: 1 rank vs `workers` worker-thread ranks.
const dir = await mkdtemp(join(tmpdir(), "bench-data-"));
const inputs = join(dir, "inputs");
const files = 8;
const parts = Array.from({ length: files }, () => [] as string[]);
for (const [i, d] of docs.entries())
  parts[i % files]?.push(JSON.stringify({ id: d.id, text: d.text, ...d.metadata }));
await mkdir(inputs, { recursive: true });
await Promise.all(
  parts.map((lines, i) => writeFile(join(inputs, `part-${i}.jsonl`), `${lines.join("\n")}\n`)),
);
const timeRun = async (n: number) => {
  const t = performance.now();
  const result = await runLocal({ inputs: [inputs], outDir: join(dir, `run-${n}`), workers: n });
  return { seconds: (performance.now() - t) / 1000, kept: result.stats.documentsKept };
};
const one = await timeRun(1);
const many = await timeRun(workers);
console.log(
  `sharded run, 1 rank: ${one.seconds.toFixed(1)} s (${(mb / one.seconds).toFixed(2)} MB/s), kept ${one.kept}`,
);
console.log(
  `sharded run, ${workers} worker threads: ${many.seconds.toFixed(1)} s (${(mb / many.seconds).toFixed(2)} MB/s), kept ${many.kept}`,
);
console.log(
  `worker speedup: ${(one.seconds / many.seconds).toFixed(2)}x on ${availableParallelism()} cores (same kept set: ${one.kept === many.kept})`,
);
await rm(dir, { recursive: true, force: true });
