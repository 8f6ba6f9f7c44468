/**
 * Worker thread entry of the probes stage: loads the run's models on its own wasm instance and
 * runs probes from the queue it shares with the main thread (probe-queue.ts), so that both cores
 * probe. Its results go back in the "done" message (stage-worker.ts).
 */
import { type ProbeQueueJob, probeQueueWorker } from "./probe-queue.js";
import { serveStageWorker } from "./stage-worker.js";

await serveStageWorker<ProbeQueueJob>(probeQueueWorker);
