/**
 * The worker side of encodeBatch: rebuilds the tokenizer from workerData (tokenizer.json
 * content), encodes one request and posts the ids back, transferring their buffers.
 * Reference: Node's worker_threads. Leaves out: more than one request per worker.
 */
import { parentPort, workerData } from "node:worker_threads";
import { BpeTokenizer } from "./bpe-tokenizer.js";
import type { EncodeWorkerData, EncodeWorkerRequest } from "./encode-batch.js";
import { parseTokenizerFile } from "./tokenizer-file.js";

const data = workerData as EncodeWorkerData;
const tokenizer = new BpeTokenizer({
  ...parseTokenizerFile(data.file, "encodeBatch worker data"),
  tiktokenRanks: data.ranks,
});

parentPort?.once("message", (request: EncodeWorkerRequest) => {
  const allowed = request.allowedSpecial;
  const options =
    allowed === undefined ? {} : { allowedSpecial: allowed === "all" ? ("all" as const) : new Set(allowed) };
  const ids = request.texts.map((text) => tokenizer.encodeToArray(text, options));
  const buffers = new Set(ids.map((a) => a.buffer as ArrayBuffer));
  parentPort?.postMessage(ids, [...buffers]);
  tokenizer.free();
});
