/**
 * Sharded execution: the cleaning pipeline as steps that each run as (rank, worldSize) over
 * input files[rank::worldSize], so N independent tasks (processes, worker threads, Slurm array
 * tasks, Kubernetes indexed Jobs) together do what one does. Steps and their outputs in outDir:
 *   clean      kept/<rank>.jsonl, excluded/<rank>.jsonl, stats/<rank>.json, _done/<rank>
 *   signature  dedup/signatures/<rank>.jsonl, dedup/_done/signature-<rank>
 *   cluster    dedup/removals.json, dedup/_done/cluster          (one task, after all signatures)
 *   dedup      final/<rank>.jsonl, excluded/dedup-<rank>.jsonl, stats/dedup-<rank>.json,
 *              dedup/_done/filter-<rank>
 *   merge      stats.json (all ranks), returned as CleaningStats
 * Every file is published atomically and a rank whose marker exists is skipped, so a rerun
 * redoes only unfinished ranks. Duplicates keep the document that comes first in global input
 * order (file index, then position), which does not depend on worldSize.
 * Reference: datatrove's LocalPipelineExecutor/SlurmPipelineExecutor and its minhash stages.
 * Leaves out: the scheduler itself (ranks come from the caller; cli.ts reads Slurm/K8s env).
 */
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { type Document, LlmError, streamJsonl, writeFileAtomic, writeJsonAtomic } from "@llm/core";
import {
  bucketPairs,
  clusterDuplicates,
  type MinHashOptions,
  MinHashRemovalFilter,
  minhashSignature,
} from "../dedup/minhash.js";
import { type CleaningChainOptions, defaultCleaningChain } from "../filters/default-cleaning-chain.js";
import { removeStaleTemps } from "../shards/shard-manifest.js";
import { DOCUMENT_EXTENSIONS, type ReadDocumentsOptions, readDocuments } from "../sources/read-documents.js";
import { listFiles } from "../sources/text-file-source.js";
import { type CleaningStats, mergeStats } from "./cleaning-stats.js";
import { CleaningRun } from "./run-cleaning.js";

/** Plain JSON, so that worker threads and separate processes can receive it. */
export interface ShardedRunOptions {
  /** Input files or folders (folders are walked recursively for supported extensions, sorted). */
  inputs: readonly string[];
  /** The run's data folder. */
  outDir: string;
  /** Cleaning chain options; the stateful dedup filters are always off here (dedup is its own step). */
  chain?: CleaningChainOptions;
  /** Source options (text fields, size limits). */
  source?: Omit<ReadDocumentsOptions, "onIssue">;
  /** MinHash options of the dedup steps. Default 14 x 8 on word 5-grams. */
  minhash?: MinHashOptions;
  /** Stop at the first bad input or filter error. Default false. */
  failFast?: boolean;
}

export interface RankResult {
  rank: number;
  /** True when the rank's completion marker existed and nothing was done. */
  skipped: boolean;
  files: number;
}

interface KeptRecord {
  id: string;
  text: string;
  metadata: Record<string, unknown>;
  order: [number, number];
}

function checkRank(rank: number, worldSize: number): void {
  if (
    !Number.isInteger(worldSize) ||
    worldSize < 1 ||
    !Number.isInteger(rank) ||
    rank < 0 ||
    rank >= worldSize
  ) {
    throw new LlmError("INVALID_ARGUMENT", `Invalid rank ${rank} for world size ${worldSize}`, {
      input: `rank=${rank} worldSize=${worldSize}`,
      hint: "Ranks run from 0 to worldSize - 1.",
    });
  }
}

/** All input files in global order. */
export async function listInputFiles(inputs: readonly string[]): Promise<string[]> {
  const missing = inputs.filter((p) => !existsSync(p));
  if (missing.length > 0) {
    throw new LlmError("FILE_NOT_FOUND", "Input not found", {
      input: missing.join(", "),
      hint: "Check the input paths.",
    });
  }
  return listFiles(inputs, DOCUMENT_EXTENSIONS);
}

/** The completion marker of a step's rank. */
export function markerPath(outDir: string, step: "clean" | "signature" | "dedup", rank: number): string {
  if (step === "clean") return join(outDir, "_done", String(rank));
  return join(outDir, "dedup", "_done", `${step === "dedup" ? "filter" : "signature"}-${rank}`);
}

/** True when the rank has finished the step (an LlmError when it finished with another world size). */
export function isRankDone(
  outDir: string,
  step: "clean" | "signature" | "dedup",
  rank: number,
  worldSize: number,
): Promise<boolean> {
  return markerState(markerPath(outDir, step, rank), worldSize);
}

async function markerState(path: string, worldSize: number): Promise<boolean> {
  if (!existsSync(path)) return false;
  const marker = JSON.parse(await readFile(path, "utf8")) as { worldSize?: number };
  if (marker.worldSize !== worldSize) {
    throw new LlmError(
      "FILE_MISMATCH",
      `Completion marker was written with world size ${String(marker.worldSize)}, not ${worldSize}`,
      {
        input: path,
        hint: "Rerun with the same world size, or delete the output folder to start over.",
      },
    );
  }
  return true;
}

/** Temp files a killed earlier attempt of this rank left beside its outputs (only this rank's names). */
async function removeRankTemps(paths: readonly string[]): Promise<void> {
  for (const path of paths) await removeStaleTemps(path);
}

async function writeMarker(path: string, content: Record<string, unknown>): Promise<void> {
  await writeJsonAtomic(path, { ...content, finishedAt: new Date().toISOString() });
}

/** Step 1: clean this rank's files (every step but dedup). */
export async function runCleanShard(
  rank: number,
  worldSize: number,
  options: ShardedRunOptions,
): Promise<RankResult> {
  checkRank(rank, worldSize);
  const marker = markerPath(options.outDir, "clean", rank);
  const all = await listInputFiles(options.inputs);
  const mine = all.map((file, index) => ({ file, index })).filter(({ index }) => index % worldSize === rank);
  if (await markerState(marker, worldSize)) return { rank, skipped: true, files: mine.length };
  const filters = defaultCleaningChain({ ...options.chain, exactDedup: false, minhash: false });
  const outputs = {
    exclusionsPath: join(options.outDir, "excluded", `${rank}.jsonl`),
    statsPath: join(options.outDir, "stats", `${rank}.json`),
    keptPath: join(options.outDir, "kept", `${rank}.jsonl`),
  };
  await removeRankTemps([...Object.values(outputs), marker]);
  const run = new CleaningRun(filters, {
    exclusionsPath: outputs.exclusionsPath,
    statsPath: outputs.statsPath,
    failFast: options.failFast ?? false,
  });
  const keptLines: string[] = [];
  try {
    for (const { file, index } of mine) {
      let position = 0;
      const documents = readDocuments(file, {
        ...options.source,
        failFast: options.failFast ?? false,
        onIssue: run.recordIssue,
      });
      for await (const document of documents) {
        const kept = await run.process(document);
        if (kept) {
          const record: KeptRecord = {
            id: kept.id,
            text: kept.text,
            metadata: kept.metadata,
            order: [index, position],
          };
          keptLines.push(JSON.stringify(record));
        }
        position++;
      }
    }
  } catch (error) {
    await run.abort();
    throw error;
  }
  await writeFileAtomic(outputs.keptPath, keptLines.map((l) => `${l}\n`).join(""));
  await run.finish();
  await writeMarker(marker, { step: "clean", rank, worldSize, files: mine.map((m) => m.file) });
  return { rank, skipped: false, files: mine.length };
}

/** A rank's kept documents, streamed; a bad line is FILE_CORRUPT naming `path:line`. */
function readKept(path: string): AsyncGenerator<KeptRecord> {
  return streamJsonl<KeptRecord>(path, { hint: RERUN_RANK_HINT });
}

const RERUN_RANK_HINT =
  "The step that wrote this file was cut short or the file was edited; delete the rank's _done marker and rerun that step.";

/** Step 2: MinHash signatures of this rank's kept documents. */
export async function runSignatureShard(
  rank: number,
  worldSize: number,
  options: ShardedRunOptions,
): Promise<RankResult> {
  checkRank(rank, worldSize);
  const marker = markerPath(options.outDir, "signature", rank);
  if (await markerState(marker, worldSize)) return { rank, skipped: true, files: 1 };
  const signaturesPath = join(options.outDir, "dedup", "signatures", `${rank}.jsonl`);
  await removeRankTemps([signaturesPath, marker]);
  const lines: string[] = [];
  for await (const record of readKept(join(options.outDir, "kept", `${rank}.jsonl`))) {
    const signature = minhashSignature(record.text, options.minhash);
    lines.push(
      `${JSON.stringify({ id: record.id, order: record.order, sig: Buffer.from(signature.buffer).toString("base64") })}\n`,
    );
  }
  await writeFileAtomic(signaturesPath, lines.join(""));
  await writeMarker(marker, { step: "signature", rank, worldSize });
  return { rank, skipped: false, files: 1 };
}

/** Step 3 (one task): buckets and clusters over all ranks' signatures -> removals.json. */
export async function runClusterStep(
  worldSize: number,
  options: ShardedRunOptions,
): Promise<{ removed: number; skipped: boolean }> {
  const marker = join(options.outDir, "dedup", "_done", "cluster");
  const removalsPath = join(options.outDir, "dedup", "removals.json");
  if (await markerState(marker, worldSize)) {
    const removals = JSON.parse(await readFile(removalsPath, "utf8")) as Record<string, string>;
    return { removed: Object.keys(removals).length, skipped: true };
  }
  await removeRankTemps([removalsPath, marker]);
  const records: { id: string; order: [number, number]; signature: Uint32Array }[] = [];
  for (let rank = 0; rank < worldSize; rank++) {
    const path = join(options.outDir, "dedup", "signatures", `${rank}.jsonl`);
    if (!existsSync(join(options.outDir, "dedup", "_done", `signature-${rank}`))) {
      throw new LlmError("RUN_ERROR", `Signatures of rank ${rank} are not finished`, {
        input: path,
        hint: "Run the signature step for every rank before the cluster step.",
      });
    }
    for await (const row of streamJsonl<{ id: string; order: [number, number]; sig: string }>(path, {
      hint: RERUN_RANK_HINT,
    })) {
      const bytes = Buffer.from(row.sig, "base64");
      records.push({
        id: row.id,
        order: row.order,
        signature: new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)),
      });
    }
  }
  records.sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1]);
  const pairs = bucketPairs(records, options.minhash);
  const removed = clusterDuplicates(records.length, pairs);
  const removals: Record<string, string> = {};
  for (const [index, keptIndex] of removed)
    removals[(records[index] as { id: string }).id] = (records[keptIndex] as { id: string }).id;
  await writeJsonAtomic(removalsPath, removals);
  await writeMarker(marker, { step: "cluster", worldSize, removed: removed.size });
  return { removed: removed.size, skipped: false };
}

/** Step 4: drop this rank's near-duplicates -> final/<rank>.jsonl. */
export async function runDedupShard(
  rank: number,
  worldSize: number,
  options: ShardedRunOptions,
): Promise<RankResult> {
  checkRank(rank, worldSize);
  const marker = markerPath(options.outDir, "dedup", rank);
  if (await markerState(marker, worldSize)) return { rank, skipped: true, files: 1 };
  const removalsPath = join(options.outDir, "dedup", "removals.json");
  if (!existsSync(join(options.outDir, "dedup", "_done", "cluster")) || !existsSync(removalsPath)) {
    throw new LlmError("RUN_ERROR", "The cluster step has not finished, so there are no removals to apply", {
      input: removalsPath,
      hint: "Run `llm-data dedup --step cluster` (runClusterStep) after every rank's signature step, then the filter step.",
    });
  }
  const removals = JSON.parse(await readFile(removalsPath, "utf8")) as Record<string, string>;
  const outputs = {
    exclusionsPath: join(options.outDir, "excluded", `dedup-${rank}.jsonl`),
    statsPath: join(options.outDir, "stats", `dedup-${rank}.json`),
    keptPath: join(options.outDir, "final", `${rank}.jsonl`),
  };
  await removeRankTemps([...Object.values(outputs), marker]);
  const run = new CleaningRun([new MinHashRemovalFilter(new Map(Object.entries(removals)))], outputs);
  for await (const record of readKept(join(options.outDir, "kept", `${rank}.jsonl`))) {
    await run.process({ id: record.id, text: record.text, metadata: record.metadata });
  }
  await run.finish();
  await writeMarker(marker, { step: "dedup", rank, worldSize });
  return { rank, skipped: false, files: 1 };
}

/** Step 5: merges every rank's stats (clean, then dedup) into stats.json. */
export async function mergeRunStats(outDir: string): Promise<CleaningStats> {
  const dir = join(outDir, "stats");
  await mkdir(dir, { recursive: true });
  const names = (await readdir(dir))
    .filter((n) => n.endsWith(".json"))
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  const load = async (n: string) => JSON.parse(await readFile(join(dir, n), "utf8")) as CleaningStats;
  let clean: CleaningStats | undefined;
  let dedup: CleaningStats | undefined;
  for (const name of names) {
    const stats = await load(name);
    if (name.startsWith("dedup-")) dedup = dedup ? mergeStats(dedup, stats) : stats;
    else clean = clean ? mergeStats(clean, stats) : stats;
  }
  if (!clean) throw new LlmError("RUN_ERROR", "No rank has finished the clean step", { input: dir });
  const merged: CleaningStats = dedup
    ? {
        ...clean,
        documentsKept: dedup.documentsKept,
        bytesKept: dedup.bytesKept,
        filters: [...clean.filters, ...dedup.filters],
      }
    : clean;
  await writeJsonAtomic(join(outDir, "stats.json"), merged);
  return merged;
}

/** Reads the final kept documents of all ranks (after dedup), in rank order. */
export async function* readRunOutput(
  outDir: string,
  worldSize: number,
  folder: "final" | "kept" = "final",
): AsyncGenerator<Document> {
  for (let rank = 0; rank < worldSize; rank++) {
    for await (const record of readKept(join(outDir, folder, `${rank}.jsonl`))) {
      yield { id: record.id, text: record.text, metadata: record.metadata };
    }
  }
}
