/**
 * Source-mode entry of the runLocal worker (tests, tsx): registers tsx in this worker, then
 * loads run-worker.ts. Needed because on Node 20 `--import tsx` in a worker's execArgv does not
 * apply to the worker's entry module. Built packages start dist/run-worker.js directly.
 */
import { register } from "tsx/esm/api";

register();
await import(new URL("./run-worker.ts", import.meta.url).href);
