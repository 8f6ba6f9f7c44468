/**
 * The worker thread of DataParallel: holds a replica of the GPT on its own tfjs backend (its own
 * wasm instance, so its own core), takes the current weights and a slice of the batch, and sends
 * back the slice's loss and gradients as plain arrays. Reference: PyTorch DDP's replica model.
 * Leaves out: optimizer state (only the main thread updates weights).
 */
import { parentPort } from "node:worker_threads";
import type { Batch } from "@llm/core";
import * as tf from "@tensorflow/tfjs-core";
import { computeGradients } from "../compute-gradients.js";
import { GPT } from "../gpt.js";
import { type BackendName, initBackend } from "../init-backend.js";
import type { ModelConfigInput } from "../model-config.js";
import { f32, type WasmBackend } from "../ops/wasm-backend.js";
import { threadCpuMs } from "./thread-cpu.js";

export type ToWorker =
  | { type: "init"; config: ModelConfigInput; backend: BackendName }
  | {
      type: "step";
      id: number;
      weights: Array<[string, Float32Array]> | null;
      batch: Batch;
      /** Gradient arrays this worker sent before, handed back to be refilled (no new allocations). */
      recycle?: Array<[string, Float32Array]>;
    };

export type FromWorker =
  | { type: "ready"; backend: string }
  | {
      type: "grads";
      id: number;
      loss: number;
      grads: Array<[string, Float32Array]>;
      /** The weight arrays of the step's message, handed back (transferred) once loaded. */
      weightBuffers?: Array<[string, Float32Array]>;
      /** Wall ms of loading the weights, computing the slice, reading the gradients out. */
      times: { load: number; compute: number; readout: number };
      /** The same phases in this thread's CPU ms (undefined off Linux). */
      cpu?: { load: number; compute: number; readout: number };
    }
  | { type: "error"; id?: number; message: string };

let model: GPT | undefined;
/** Gradient arrays handed back by the main thread, by parameter name. */
const gradBuffers = new Map<string, Float32Array>();

async function handle(message: ToWorker): Promise<FromWorker> {
  if (message.type === "init") {
    const info = await initBackend(message.backend);
    model = new GPT(message.config, { init: false });
    return { type: "ready", backend: info.name };
  }
  if (model === undefined) return { type: "error", id: message.id, message: "worker not initialised" };
  const c0 = threadCpuMs();
  const t0 = performance.now();
  for (const [name, a] of message.recycle ?? []) gradBuffers.set(name, a);
  if (message.weights !== null) model.setWeights(new Map(message.weights));
  const t1 = performance.now();
  const c1 = threadCpuMs();
  const { loss, grads } = computeGradients(model, message.batch);
  const t2 = performance.now();
  const c2 = threadCpuMs();
  const out: Array<[string, Float32Array]> = [];
  const backend = tf.getBackend() === "wasm" ? (tf.backend() as unknown as WasmBackend) : undefined;
  for (const [name, g] of grads) {
    const buffer = gradBuffers.get(name);
    gradBuffers.delete(name);
    if (backend !== undefined && buffer !== undefined && buffer.length === g.size && g.dtype === "float32") {
      buffer.set(f32(backend, g)); // refill the array the main thread handed back
      out.push([name, buffer]);
    } else out.push([name, g.dataSync() as Float32Array]);
    g.dispose();
  }
  const times = { load: t1 - t0, compute: t2 - t1, readout: performance.now() - t2 };
  const c3 = threadCpuMs();
  const cpu =
    c0 !== undefined && c1 !== undefined && c2 !== undefined && c3 !== undefined
      ? { load: c1 - c0, compute: c2 - c1, readout: c3 - c2 }
      : undefined;
  // setWeights copied the weights into tensors: their arrays go back to be refilled next step
  // (wasm only: the cpu backend keeps the given arrays as the tensors' storage)
  const weightBuffers = backend !== undefined ? (message.weights ?? undefined) : undefined;
  return {
    type: "grads",
    id: message.id,
    loss,
    grads: out,
    times,
    ...(cpu ? { cpu } : {}),
    ...(weightBuffers ? { weightBuffers } : {}),
  };
}

const port = parentPort;
if (port !== null) {
  port.on("message", (message: ToWorker) => {
    handle(message).then(
      (reply) => {
        const transfer: ArrayBuffer[] = [];
        if (reply.type === "grads") {
          for (const [, a] of reply.grads) transfer.push(a.buffer as ArrayBuffer);
          for (const [, a] of reply.weightBuffers ?? []) transfer.push(a.buffer as ArrayBuffer);
        }
        port.postMessage(reply, transfer);
      },
      (error: unknown) => {
        const id = message.type === "step" ? message.id : undefined;
        port.postMessage({
          type: "error",
          id,
          message: error instanceof Error ? error.message : String(error),
        });
      },
    );
  });
}
void tf;
