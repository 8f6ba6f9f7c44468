/**
 * Worker entry of scripts/measure-worker-generation.ts: loads a run in its own thread and, for each
 * { messages, maxTokens } it receives, generates with the SftChatEngine, posting every token's text
 * and a final { done } back. A prototype for comparing a worker-thread engine with the server's
 * yield-between-tokens loop. Leaves out: tool calls, aborts and everything else a server needs.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { Message } from "@llm/core";
import { initBackend } from "@llm/model";
import { type ChatStage, loadRun } from "../src/load-run.js";

const { runDir, stage, backend } = workerData as { runDir: string; stage: ChatStage; backend: string };
await initBackend(backend as Parameters<typeof initBackend>[0]);
const run = await loadRun(runDir, stage);
parentPort?.on("message", async (request: { messages: Message[]; maxTokens: number }) => {
  for await (const event of run.engine.chat(request.messages, {
    maxTokens: request.maxTokens,
    temperature: 0,
  })) {
    if (event.type === "token") parentPort?.postMessage({ token: event.text });
  }
  parentPort?.postMessage({ done: true });
});
parentPort?.postMessage({ ready: true });
