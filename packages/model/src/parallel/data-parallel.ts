/**
 * DataParallel: computes one batch's loss and gradients on several cores. The batch's rows are
 * split into slices; the main thread computes the first slice while worker threads (each with a
 * replica of the model on its own wasm instance: Node runs wasm single-threaded) compute the
 * others from the current weights; gradients and losses are averaged with each slice's share
 * of the loss weight (its share of rows, or of mask weight), so the result equals
 * computeGradients on the whole batch up to float rounding. Reference: PyTorch
 * DistributedDataParallel (all-reduce mean of gradients). Leaves out: multiple machines,
 * overlapping communication with the backward pass.
 */
import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import { type Batch, createWorker, LlmError } from "@llm/core";
import * as tf from "@tensorflow/tfjs-core";
import type { Gradients } from "../clip-global-norm.js";
import { computeGradients, type GradientResult } from "../compute-gradients.js";
import type { GPT } from "../gpt.js";
import { type BackendName, currentBackend } from "../init-backend.js";
import { simdKernels } from "../ops/simd/simd-kernels.js";
import { f32, offsetOf, type WasmBackend } from "../ops/wasm-backend.js";
import type { FromWorker, ToWorker } from "./data-parallel-worker.js";
import { threadCpuMs } from "./thread-cpu.js";

/** Starts one worker: the built dist/data-parallel-worker.js, or the .ts source in development (core's createWorker). */
function startWorker(): Worker {
  const extension = import.meta.url.endsWith(".ts") ? "ts" : "js";
  return createWorker(new URL(`./data-parallel-worker.${extension}`, import.meta.url));
}

export interface DataParallelOptions {
  /** Worker threads besides the main thread. Default: available cores - 1 (0 = main thread only). */
  workers?: number;
  /** Backend of the workers. Default: the main thread's current backend. */
  backend?: BackendName;
}

/** Row ranges [start, end) splitting `rows` into at most `parts` near-equal slices. */
export function splitRows(rows: number, parts: number): Array<[number, number]> {
  const n = Math.max(1, Math.min(parts, rows));
  const out: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) out.push([Math.floor((i * rows) / n), Math.floor(((i + 1) * rows) / n)]);
  return out;
}

/** Rows [start, end) of a batch, copied. */
export function sliceBatch(batch: Batch, start: number, end: number): Batch {
  const T = batch.seqLen;
  const slice: Batch = {
    inputs: batch.inputs.slice(start * T, end * T),
    targets: batch.targets.slice(start * T, end * T),
    batchSize: end - start,
    seqLen: T,
  };
  if (batch.mask !== undefined) slice.mask = batch.mask.slice(start * T, end * T);
  return slice;
}

function lossWeight(batch: Batch): number {
  if (batch.mask === undefined) return batch.batchSize * batch.seqLen;
  let sum = 0;
  for (const m of batch.mask) sum += m;
  return sum;
}

interface Pending {
  resolve: (reply: FromWorker & { type: "grads" }) => void;
  reject: (error: Error) => void;
}

class WorkerHandle {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Weight tensors (by identity) last sent; unchanged weights are not sent again. */
  sent = new Map<string, object>();
  /** Weight arrays the worker handed back after loading them: refilled, not reallocated. */
  weightBuffers = new Map<string, Float32Array>();
  /** Gradient arrays the worker sent, to hand back with the next step for it to refill. */
  spentGrads: Array<[string, Float32Array]> = [];

  constructor(readonly worker: Worker) {
    worker.on("message", (reply: FromWorker) => {
      if (reply.type === "ready") return;
      const id = reply.id ?? -1;
      const p = this.pending.get(id);
      if (p === undefined) return;
      this.pending.delete(id);
      if (reply.type === "grads") p.resolve(reply);
      else
        p.reject(
          new LlmError("RUN_ERROR", `data-parallel worker failed: ${reply.message}`, {
            hint: "See the worker's error message.",
          }),
        );
    });
    worker.on("error", (error) => {
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    });
  }

  /**
   * Sends one slice. With `transferWeights` the weight arrays are moved to the worker, not
   * cloned: they must be copies nothing else holds (wasm's dataSync copies out of its heap;
   * the cpu backend's dataSync returns its own storage, which must stay).
   */
  step(
    weights: Array<[string, Float32Array]> | null,
    batch: Batch,
    transferWeights: boolean,
  ): Promise<FromWorker & { type: "grads" }> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const recycle = this.spentGrads;
      this.spentGrads = [];
      const message: ToWorker = { type: "step", id, weights, batch, recycle };
      const transfer =
        transferWeights && weights !== null ? weights.map(([, a]) => a.buffer as ArrayBuffer) : [];
      for (const [, a] of recycle) transfer.push(a.buffer as ArrayBuffer);
      this.worker.postMessage(message, transfer);
    });
  }
}

/** Wall milliseconds of the last computeGradients call, by phase (main thread unless `worker`). */
export interface DataParallelTimings {
  /** Reading the weights out and posting the slices. */
  send: number;
  /** The main thread's own slice. */
  own: number;
  /** Waiting for the workers after the own slice. */
  wait: number;
  /** Summing the gradients into tensors. */
  reduce: number;
  /** The (first) worker: loading weights, computing its slice, reading its gradients out. */
  workerLoad: number;
  workerCompute: number;
  workerReadout: number;
}

/** The phases between five marks (before send, after send, after own slice, after wait, after reduce) and a worker's own phases. */
function phaseTimings(
  marks: readonly number[],
  worker: { load: number; compute: number; readout: number } | undefined,
): DataParallelTimings {
  const [m0, m1, m2, m3, m4] = marks as [number, number, number, number, number];
  return {
    send: m1 - m0,
    own: m2 - m1,
    wait: m3 - m2,
    reduce: m4 - m3,
    workerLoad: worker?.load ?? 0,
    workerCompute: worker?.compute ?? 0,
    workerReadout: worker?.readout ?? 0,
  };
}

export class DataParallel {
  /** Phase times of the last computeGradients call (a probe: bench/train-throughput/dp-phases.ts). */
  lastTimings: DataParallelTimings = {
    send: 0,
    own: 0,
    wait: 0,
    reduce: 0,
    workerLoad: 0,
    workerCompute: 0,
    workerReadout: 0,
  };

  /** The same phases in each thread's CPU ms (undefined off Linux): what a shared machine's load distorts least. */
  lastCpuTimings: DataParallelTimings | undefined;

  private constructor(
    private readonly model: GPT,
    private readonly handles: WorkerHandle[],
  ) {}

  /** Starts the workers and waits until each holds a model replica. */
  static async create(model: GPT, options: DataParallelOptions = {}): Promise<DataParallel> {
    const count = options.workers ?? Math.max(0, availableParallelism() - 1);
    const backend = options.backend ?? (currentBackend() as BackendName);
    const handles: WorkerHandle[] = [];
    try {
      for (let i = 0; i < count; i++) {
        const worker = startWorker();
        const ready = new Promise<void>((resolve, reject) => {
          const onMessage = (reply: FromWorker) => {
            if (reply.type === "ready") {
              worker.off("message", onMessage);
              resolve();
            } else if (reply.type === "error") {
              reject(
                new LlmError("RUN_ERROR", `data-parallel worker failed to start: ${reply.message}`, {
                  input: backend,
                  hint: "Check that the backend is installed.",
                }),
              );
            }
          };
          worker.on("message", onMessage);
          worker.once("error", reject);
        });
        handles.push(new WorkerHandle(worker));
        const init: ToWorker = { type: "init", config: { ...model.config }, backend };
        worker.postMessage(init);
        await ready;
      }
    } catch (error) {
      await Promise.all(handles.map((h) => h.worker.terminate()));
      throw error;
    }
    return new DataParallel(model, handles);
  }

  /** Threads computing each batch (main thread included). */
  get parallelism(): number {
    return this.handles.length + 1;
  }

  /** Loss and gradients of the whole batch, as computeGradients(model, batch) returns them. */
  async computeGradients(batch: Batch): Promise<GradientResult> {
    const ranges = splitRows(batch.batchSize, this.parallelism);
    const slices = ranges.map(([s, e]) => sliceBatch(batch, s, e));
    const total = lossWeight(batch);
    const shares = slices.map((s) => (total > 0 ? lossWeight(s) / total : s.batchSize / batch.batchSize));
    const c0 = threadCpuMs();
    const t0 = performance.now();
    const replies = slices.slice(1).map((slice, i) => {
      const handle = this.handles[i] as WorkerHandle;
      return handle.step(this.weightsFor(handle), slice, currentBackend() === "wasm");
    });
    const t1 = performance.now();
    const c1 = threadCpuMs();
    // the main thread's own slice runs while the workers compute theirs
    const own = computeGradients(this.model, slices[0] as Batch);
    const t2 = performance.now();
    const c2 = threadCpuMs();
    let results: Array<FromWorker & { type: "grads" }>;
    try {
      results = await Promise.all(replies);
    } catch (error) {
      for (const g of own.grads.values()) g.dispose();
      throw error;
    }
    const t3 = performance.now();
    const c3 = threadCpuMs();
    let loss = own.loss * (shares[0] as number);
    const grads: Gradients = new Map();
    const others = results.map((r) => new Map(r.grads));
    results.forEach((r, i) => {
      loss += r.loss * (shares[i + 1] as number);
      const handle = this.handles[i] as WorkerHandle;
      for (const [name, a] of r.weightBuffers ?? []) handle.weightBuffers.set(name, a);
    });
    const s0 = shares[0] as number;
    const backend = currentBackend() === "wasm" ? (tf.backend() as unknown as WasmBackend) : undefined;
    // weighted sum in one JS pass per parameter (four tf ops each cost ~4x as much); on wasm
    // straight from and into the heap (no copies out and back in)
    // the SIMD sum takes the shares as float32 and rounds s1 * y to float32 before adding, which
    // equals the JS loop only when s0 is a float32 and s1 a power of two (an even split: 1/2)
    const s1 = shares[1];
    const exactShare =
      s1 !== undefined && s1 > 0 && Number.isInteger(Math.log2(s1)) && Math.fround(s0) === s0;
    const kernels = backend !== undefined && exactShare ? simdKernels(backend) : undefined;
    for (const [name, g] of own.grads) {
      const inHeap = backend !== undefined && g.dtype === "float32";
      const out = inHeap
        ? tf.engine().makeTensorFromTensorInfo(backend.makeOutput([...g.shape], "float32"))
        : null;
      const mine = inHeap ? f32(backend, g) : (g.dataSync() as Float32Array);
      const sum = out !== null && backend !== undefined ? f32(backend, out) : new Float32Array(mine.length);
      const first = others.length === 1 ? others[0]?.get(name) : undefined;
      const n4 = sum.length & ~3;
      if (first !== undefined && out !== null && backend !== undefined && kernels !== undefined && n4 > 0) {
        // one SIMD pass in the heap: the worker's slice is copied into the output, then
        // out = mine s0 + out s1 (bit-equal to the JS loop below: s1 * y is exact, see exactShare)
        sum.set(first);
        const o = offsetOf(backend, out);
        kernels.exports.weightedSum(n4, offsetOf(backend, g), s0, o, shares[1] as number, o);
        const s1 = shares[1] as number;
        for (let j = n4; j < sum.length; j++)
          sum[j] = Math.fround((mine[j] as number) * s0) + (first[j] as number) * s1;
      } else if (first !== undefined) {
        // one worker: one pass, the same float steps as the general loop below
        const s1 = shares[1] as number;
        for (let j = 0; j < sum.length; j++)
          sum[j] = Math.fround((mine[j] as number) * s0) + (first[j] as number) * s1;
      } else for (let j = 0; j < sum.length; j++) sum[j] = (mine[j] as number) * s0;
      if (first === undefined)
        others.forEach((m, i) => {
          const data = m.get(name);
          const si = shares[i + 1] as number;
          if (data !== undefined)
            for (let j = 0; j < sum.length; j++) sum[j] = (sum[j] as number) + (data[j] as number) * si;
        });
      grads.set(name, out ?? tf.tensor(sum, g.shape));
      g.dispose();
    }
    // the workers' gradient arrays go back to them with the next step, to be refilled
    results.forEach((r, i) => {
      (this.handles[i] as WorkerHandle).spentGrads = r.grads;
    });
    const t4 = performance.now();
    const c4 = threadCpuMs();
    this.lastTimings = phaseTimings([t0, t1, t2, t3, t4], results[0]?.times);
    const cpu = [c0, c1, c2, c3, c4];
    this.lastCpuTimings = cpu.every((c) => c !== undefined)
      ? phaseTimings(cpu as number[], results[0]?.cpu)
      : undefined;
    return { loss, grads };
  }

  /** Stops the workers. */
  async dispose(): Promise<void> {
    await Promise.all(this.handles.map((h) => h.worker.terminate()));
  }

  /** The weights a worker lacks (null when it already has the current ones). */
  private weightsFor(handle: WorkerHandle): Array<[string, Float32Array]> | null {
    const params = this.model.parameters();
    let changed = false;
    for (const [name, v] of params) if (handle.sent.get(name) !== v.dataId) changed = true;
    if (!changed) return null;
    const out: Array<[string, Float32Array]> = [];
    const backend = currentBackend() === "wasm" ? (tf.backend() as unknown as WasmBackend) : undefined;
    for (const [name, v] of params) {
      const buffer = handle.weightBuffers.get(name);
      if (
        backend !== undefined &&
        buffer !== undefined &&
        buffer.length === v.size &&
        v.dtype === "float32"
      ) {
        buffer.set(f32(backend, v)); // refill the array the worker handed back
        out.push([name, buffer]);
      } else out.push([name, v.dataSync() as Float32Array]);
      handle.weightBuffers.delete(name);
      handle.sent.set(name, v.dataId);
    }
    return out;
  }
}
