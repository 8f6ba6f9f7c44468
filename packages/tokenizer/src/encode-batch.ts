/**
 * encodeBatch: encodes many documents, on worker threads when the input is large. Each worker
 * rebuilds the tokenizer from its tokenizer.json content and encodes a contiguous slice of the
 * documents (balanced by characters); results come back in input order as transferred
 * Uint32Arrays. Small inputs are encoded on the calling thread (starting a worker costs more).
 * Reference: tiktoken's encode_batch (a thread pool). Leaves out: a persistent pool (workers
 * live for one call) and streaming.
 */
import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import { createWorker, type EncodeOptions } from "@llm/core";
import type { BpeTokenizer } from "./bpe-tokenizer.js";
import type { TokenizerFileV1 } from "./tokenizer-file.js";

export interface EncodeBatchOptions extends EncodeOptions {
  /** Worker threads. Default: availableParallelism(), at most 8. 1 encodes on this thread. */
  workers?: number;
  /** Below this many characters in all, encode on this thread. Default: 2,000,000. */
  minCharsForWorkers?: number;
}

/** What each worker starts with: the tokenizer.json content and tiktoken's rank text. */
export interface EncodeWorkerData {
  file: TokenizerFileV1;
  ranks: string;
}

/** What the worker receives. */
export interface EncodeWorkerRequest {
  texts: string[];
  allowedSpecial?: "all" | string[];
}

/** Starts the encode worker, from dist/*.js or (tests, tsx) from the TypeScript sources. */
function startWorker(workerData: EncodeWorkerData): Worker {
  const entry = import.meta.url.endsWith(".ts") ? "./encode-worker.ts" : "./encode-worker.js";
  return createWorker(new URL(entry, import.meta.url), { workerData });
}

export async function encodeBatch(
  tokenizer: BpeTokenizer,
  texts: readonly string[],
  options: EncodeBatchOptions = {},
): Promise<Uint32Array[]> {
  const totalChars = texts.reduce((sum, text) => sum + text.length, 0);
  const workers = Math.max(1, Math.min(options.workers ?? Math.min(availableParallelism(), 8), texts.length));
  const encodeOptions: EncodeOptions = options.allowedSpecial
    ? { allowedSpecial: options.allowedSpecial }
    : {};
  if (workers === 1 || totalChars < (options.minCharsForWorkers ?? 2_000_000)) {
    return texts.map((text) => tokenizer.encodeToArray(text, encodeOptions));
  }
  // Contiguous slices of about equal characters.
  const slices: string[][] = [];
  let current: string[] = [];
  let chars = 0;
  for (const text of texts) {
    current.push(text);
    chars += text.length;
    if (chars >= (totalChars * (slices.length + 1)) / workers && slices.length < workers - 1) {
      slices.push(current);
      current = [];
    }
  }
  slices.push(current);
  const data: EncodeWorkerData = { file: tokenizer.toJSON(), ranks: tokenizer.tiktokenRankText() };
  const allowed =
    options.allowedSpecial === undefined || options.allowedSpecial === "all"
      ? options.allowedSpecial
      : [...options.allowedSpecial];
  const results = await Promise.all(
    slices.map(
      (slice) =>
        new Promise<Uint32Array[]>((resolve, reject) => {
          const worker = startWorker(data);
          const request: EncodeWorkerRequest = {
            texts: slice,
            ...(allowed ? { allowedSpecial: allowed } : {}),
          };
          worker.once("message", (ids: Uint32Array[]) => {
            resolve(ids);
            void worker.terminate();
          });
          worker.once("error", (error) => {
            reject(error);
            void worker.terminate();
          });
          worker.postMessage(request);
        }),
    ),
  );
  return results.flat();
}
