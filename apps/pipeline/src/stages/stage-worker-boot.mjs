// Starts a stage worker's TypeScript entry (workerData.entry, a file URL; stage-worker.ts) in a
// worker thread: Node 20 does not apply `--import tsx` from a worker's execArgv to the worker's own
// entry, so register tsx here first.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
