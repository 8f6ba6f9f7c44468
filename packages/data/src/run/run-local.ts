/**
 * Runs the whole sharded pipeline on one machine: every step as `workers` ranks, each rank in
 * its own worker thread (or in-process when workers is 1), then cluster and merge. This is
 * the local parallelism of the data stage; on a cluster the same steps run as scheduler
 * tasks through the CLI. Reference: datatrove's LocalPipelineExecutor. Leaves out: retries
 * of failed ranks (rerun: finished ranks are skipped).
 */
import type { Worker } from "node:worker_threads";
import { createWorker, type Listeners, LlmError, type LlmErrorCode } from "@llm/core";
import type { CleaningStats } from "./cleaning-stats.js";
import {
  isRankDone,
  mergeRunStats,
  type RankResult,
  runCleanShard,
  runClusterStep,
  runDedupShard,
  runSignatureShard,
  type ShardedRunOptions,
} from "./sharded-run.js";

export interface RunLocalOptions extends ShardedRunOptions {
  /** Ranks, each in its own worker thread. Default 1 (in-process). */
  workers?: number;
  /** Skip the MinHash dedup steps. Default false. */
  skipDedup?: boolean;
  listeners?: Listeners;
}

export interface RunLocalResult {
  stats: CleaningStats;
  worldSize: number;
  /** Ranks that were already finished and skipped, per step. */
  skipped: Record<string, number>;
}

const steps = { clean: runCleanShard, signature: runSignatureShard, dedup: runDedupShard };

/** One worker thread for a rank: dist/run-worker.js when built, run-worker.ts (through tsx) from sources. */
function startWorker(): Worker {
  const ts = import.meta.url.endsWith(".ts");
  return createWorker(new URL(ts ? "./run-worker.ts" : "./run-worker.js", import.meta.url));
}

interface WorkerReply {
  ok: boolean;
  result?: RankResult;
  error?: { code?: string; message: string; input?: string; hint?: string };
}

/** Runs one step in a long-lived worker thread. */
function inWorker(
  worker: Worker,
  step: keyof typeof steps,
  rank: number,
  worldSize: number,
  options: ShardedRunOptions,
): Promise<RankResult> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      cleanup();
      reject(new LlmError("RUN_ERROR", `Worker for ${step} rank ${rank} crashed`, { cause: error }));
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new LlmError("RUN_ERROR", `Worker for ${step} rank ${rank} exited with code ${code}`));
    };
    const onMessage = (message: WorkerReply) => {
      cleanup();
      if (message.ok) resolve(message.result as RankResult);
      else {
        const e = message.error ?? { message: "worker failed" };
        reject(
          new LlmError((e.code as LlmErrorCode | undefined) ?? "RUN_ERROR", e.message, {
            ...(e.input ? { input: e.input } : {}),
            ...(e.hint ? { hint: e.hint } : {}),
          }),
        );
      }
    };
    const cleanup = () => {
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
    };
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
    worker.postMessage({ step, rank, worldSize, options });
  });
}

export async function runLocal(options: RunLocalOptions): Promise<RunLocalResult> {
  const worldSize = options.workers ?? 1;
  const { listeners, workers: _w, skipDedup, ...shardOptions } = options;
  const skipped: Record<string, number> = {};
  const ranks = Array.from({ length: worldSize }, (_, rank) => rank);
  const workers: (Worker | undefined)[] = [];
  const runStep = async (step: keyof typeof steps) => {
    const results = await Promise.all(
      ranks.map(async (rank): Promise<RankResult> => {
        if (await isRankDone(shardOptions.outDir, step, rank, worldSize))
          return { rank, skipped: true, files: 0 };
        if (worldSize === 1) return steps[step](rank, worldSize, shardOptions);
        workers[rank] ??= startWorker();
        return inWorker(workers[rank] as Worker, step, rank, worldSize, shardOptions);
      }),
    );
    skipped[step] = results.filter((r) => r.skipped).length;
    listeners?.onProgress?.({
      stage: "data",
      done: worldSize,
      total: worldSize,
      unit: "ranks",
      message: `${step} finished`,
    });
  };
  try {
    await runStep("clean");
    if (!skipDedup) {
      await runStep("signature");
      const cluster = await runClusterStep(worldSize, shardOptions);
      skipped.cluster = cluster.skipped ? 1 : 0;
      await runStep("dedup");
    }
  } finally {
    await Promise.all(workers.map((w) => w?.terminate()));
  }
  const stats = await mergeRunStats(options.outDir);
  return { stats, worldSize, skipped };
}
