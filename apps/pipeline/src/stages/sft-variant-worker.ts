/**
 * Worker thread entry that trains one SFT variant (sft-variant.ts): the answer-first twin trains
 * here while the main thread trains the steps-first model, so both cores work (the wasm backend
 * runs one thread per JavaScript thread). Events go to the main thread as messages; an "abort"
 * message stops it after the current step with a checkpoint.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { Listeners } from "@llm/core";
import { type BackendName, initBackend } from "@llm/model";
import { trainVariant, type VariantJob } from "./sft-variant.js";

export type WorkerMessage =
  | { type: "step"; event: Parameters<NonNullable<Listeners["onStep"]>>[0] }
  | { type: "progress"; event: Parameters<NonNullable<Listeners["onProgress"]>>[0] }
  | { type: "log"; event: Parameters<NonNullable<Listeners["onLog"]>>[0] }
  | { type: "done"; summary: Record<string, unknown> }
  | { type: "error"; message: string; stack?: string };

const port = parentPort;
if (!port) throw new Error("sft-variant-worker.ts must run as a worker thread");
const { job, backend } = workerData as { job: VariantJob; backend: BackendName };
const controller = new AbortController();
port.on("message", (message: { type?: string }) => {
  if (message?.type === "abort") controller.abort();
});
const post = (message: WorkerMessage) => port.postMessage(message);
const listeners: Listeners = {
  onStep: (event) => post({ type: "step", event }),
  onProgress: (event) => post({ type: "progress", event }),
  onLog: (event) => post({ type: "log", event }),
};
try {
  await initBackend(backend);
  post({ type: "done", summary: await trainVariant(job, listeners, controller.signal) });
} catch (error) {
  const e = error instanceof Error ? error : new Error(String(error));
  post({ type: "error", message: e.message, ...(e.stack ? { stack: e.stack } : {}) });
}
