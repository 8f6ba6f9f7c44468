// Starts probes-worker.ts in a worker thread from TypeScript sources: Node 20 does not apply
// `--import tsx` from a worker's execArgv to the worker's own entry, so register tsx here first.
import { register } from "tsx/esm/api";

register();
await import("./probes-worker.ts");
