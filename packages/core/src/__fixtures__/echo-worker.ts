// A TypeScript worker entry for create-worker.test.ts: echoes workerData and imports a workspace package by name.
import { parentPort, workerData } from "node:worker_threads";
import { Rng } from "@llm/core";

const value: number = new Rng(1).int(1000);
parentPort?.postMessage({ echo: workerData as unknown, value });
