/**
 * Worker-thread entry of runLocal: one worker per rank stays alive across steps; each message
 * names a step, the worker runs it for its rank and posts the result back.
 * Reference: Node's worker_threads. Leaves out: anything but the steps of sharded-run.ts.
 */
import { parentPort } from "node:worker_threads";
import { runCleanShard, runDedupShard, runSignatureShard, type ShardedRunOptions } from "./sharded-run.js";

interface Job {
  step: "clean" | "signature" | "dedup";
  rank: number;
  worldSize: number;
  options: ShardedRunOptions;
}

const steps = { clean: runCleanShard, signature: runSignatureShard, dedup: runDedupShard };

parentPort?.on("message", (job: Job) => {
  steps[job.step](job.rank, job.worldSize, job.options)
    .then((result) => parentPort?.postMessage({ ok: true, result }))
    .catch((error: unknown) => {
      const e = error as { code?: string; message?: string; input?: string; hint?: string };
      parentPort?.postMessage({
        ok: false,
        error: { code: e.code, message: e.message ?? String(error), input: e.input, hint: e.hint },
      });
    });
});
