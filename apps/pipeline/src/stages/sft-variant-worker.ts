/**
 * Worker thread entry that trains one SFT variant (sft-variant.ts): the answer-first twin trains
 * here while the main thread trains the steps-first model, so both cores work (the wasm backend
 * runs one thread per JavaScript thread). Events go to the main thread as messages; an "abort"
 * message stops it after the current step with a checkpoint (stage-worker.ts).
 */
import { trainVariant, type VariantJob } from "./sft-variant.js";
import { serveStageWorker } from "./stage-worker.js";

await serveStageWorker<VariantJob>(trainVariant);
