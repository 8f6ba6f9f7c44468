/**
 * Source-mode entry of the encodeBatch worker (tests, tsx): registers tsx in this worker, then
 * loads encode-worker.ts. Needed because on Node 20 `--import tsx` in a worker's execArgv does
 * not apply to the worker's entry module. Built packages start dist/encode-worker.js directly.
 */
import { register } from "tsx/esm/api";

register();
await import(new URL("./encode-worker.ts", import.meta.url).href);
