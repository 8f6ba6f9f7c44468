/**
 * Entry of the DataParallel worker when running from TypeScript sources (tests, tsx): on Node 20
 * an `--import tsx` in a worker's execArgv does not reach the worker's own entry module, so this
 * plain-JS entry registers tsx's loader first and then imports data-parallel-worker.ts. Built
 * packages start dist/data-parallel-worker.js directly through @llm/core's createWorker.
 */
import { register } from "tsx/esm/api";

register();
await import(new URL("./data-parallel-worker.ts", import.meta.url).href);
