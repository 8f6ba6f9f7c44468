/**
 * Stage work on the second core: the wasm backend runs one thread per JavaScript thread, so a
 * stage that has two independent halves (the SFT twins, two queues of probes) runs one half in a
 * worker thread. `runStageWorker` starts a worker from its boot file, forwards the worker's events
 * to the stage's listeners and Ctrl-C to the worker, and resolves with what the worker returned;
 * `serveStageWorker` is the worker side. The protocol is plain messages (events, "done", "error",
 * "abort"), so jobs must be structured-cloneable data.
 * Reference: Node's worker_threads. Leaves out: pools of more than one worker per stage.
 */
import { parentPort, Worker, workerData } from "node:worker_threads";
import { type Listeners, LlmError } from "@llm/core";
import type { BackendName } from "@llm/model";
import type { BackendChoice } from "../cli-args.js";
import type { StageContext } from "../run-pipeline.js";
import { initStageBackend } from "../stage-backends.js";
import type { StageName } from "../stage-names.js";

export type StageWorkerMessage =
  | { type: "step"; event: Parameters<NonNullable<Listeners["onStep"]>>[0] }
  | { type: "progress"; event: Parameters<NonNullable<Listeners["onProgress"]>>[0] }
  | { type: "log"; event: Parameters<NonNullable<Listeners["onLog"]>>[0] }
  | { type: "done"; summary: unknown }
  | { type: "error"; message: string; stack?: string };

/** Whether a backend runs one thread per JavaScript thread, so that a second core needs a worker. */
export function isSingleThreaded(backend: BackendName): boolean {
  return backend === "wasm" || backend === "cpu";
}

/**
 * Runs a worker whose .ts `entry` calls serveStageWorker, with `{ job, backend }` as its
 * workerData (stage-worker-boot.mjs registers tsx, then imports the entry); `label` names it in
 * errors.
 */
export function runStageWorker<T>(
  entry: URL,
  job: unknown,
  context: StageContext,
  label: string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./stage-worker-boot.mjs", import.meta.url), {
      workerData: { job, backend: context.backend, stage: context.stage, entry: entry.href },
      execArgv: ["--conditions=@llm/source"],
    });
    const onAbort = () => worker.postMessage({ type: "abort" });
    context.signal.addEventListener("abort", onAbort, { once: true });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      context.signal.removeEventListener("abort", onAbort);
      fn();
      void worker.terminate();
    };
    worker.on("message", (message: StageWorkerMessage) => {
      if (message.type === "step") context.listeners.onStep?.(message.event);
      else if (message.type === "progress") context.listeners.onProgress?.(message.event);
      else if (message.type === "log") context.listeners.onLog?.(message.event);
      else if (message.type === "done") finish(() => resolve(message.summary as T));
      else if (message.type === "error") {
        finish(() =>
          reject(new LlmError("RUN_ERROR", `${label} failed: ${message.message}`, { input: label })),
        );
      }
    });
    worker.on("error", (error) => finish(() => reject(error)));
    worker.on("exit", (code) => {
      finish(() => reject(new LlmError("RUN_ERROR", `the worker for ${label} exited with code ${code}`)));
    });
  });
}

/**
 * The worker side: initialises the backend, runs `work` on the job with listeners that post
 * events to the main thread and a signal that an "abort" message trips, and posts its result.
 */
export async function serveStageWorker<J>(
  work: (job: J, listeners: Listeners, signal: AbortSignal) => Promise<unknown>,
): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error("a stage worker must run as a worker thread");
  const { job, backend, stage } = workerData as { job: J; backend: BackendChoice; stage: StageName };
  const controller = new AbortController();
  port.on("message", (message: { type?: string }) => {
    if (message?.type === "abort") controller.abort();
  });
  const post = (message: StageWorkerMessage) => port.postMessage(message);
  const listeners: Listeners = {
    onStep: (event) => post({ type: "step", event }),
    onProgress: (event) => post({ type: "progress", event }),
    onLog: (event) => post({ type: "log", event }),
  };
  try {
    await initStageBackend(stage, backend);
    post({ type: "done", summary: await work(job, listeners, controller.signal) });
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    post({ type: "error", message: e.message, ...(e.stack ? { stack: e.stack } : {}) });
  }
}
