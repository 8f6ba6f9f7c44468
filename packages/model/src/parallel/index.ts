/**
 * Data-parallel training across worker threads (Node runs tfjs-backend-wasm on one thread).
 */
export type { DataParallelOptions, DataParallelTimings } from "./data-parallel.js";
export { DataParallel, sliceBatch, splitRows } from "./data-parallel.js";
export { threadCpuMs } from "./thread-cpu.js";
