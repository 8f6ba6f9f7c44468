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

export type ToWorker =
  | { type: "init"; config: ModelConfigInput; backend: BackendName }
  | { type: "step"; id: number; weights: Array<[string, Float32Array]> | null; batch: Batch };

export type FromWorker =
  | { type: "ready"; backend: string }
  | { type: "grads"; id: number; loss: number; grads: Array<[string, Float32Array]> }
  | { type: "error"; id?: number; message: string };

let model: GPT | undefined;

async function handle(message: ToWorker): Promise<FromWorker> {
  if (message.type === "init") {
    const info = await initBackend(message.backend);
    model = new GPT(message.config, { init: false });
    return { type: "ready", backend: info.name };
  }
  if (model === undefined) return { type: "error", id: message.id, message: "worker not initialised" };
  if (message.weights !== null) model.setWeights(new Map(message.weights));
  const { loss, grads } = computeGradients(model, message.batch);
  const out: Array<[string, Float32Array]> = [];
  for (const [name, g] of grads) {
    out.push([name, g.dataSync() as Float32Array]);
    g.dispose();
  }
  return { type: "grads", id: message.id, loss, grads: out };
}

const port = parentPort;
if (port !== null) {
  port.on("message", (message: ToWorker) => {
    handle(message).then(
      (reply) => {
        const transfer = reply.type === "grads" ? reply.grads.map(([, a]) => a.buffer as ArrayBuffer) : [];
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
