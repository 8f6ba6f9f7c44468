/**
 * The tool sandbox's worker thread: receives { id, code, limits }, runs the code through
 * runInQuickJs and posts { id, result } back. Runs in its own thread so that the host can kill it
 * (Worker.terminate) when a snippet is stuck inside a long native call past its deadline.
 * Reference: Node's worker_threads. Leaves out: running several snippets concurrently.
 */
import { parentPort } from "node:worker_threads";
import { newQuickJSWASMModule, type QuickJSWASMModule } from "quickjs-emscripten";
import { runInQuickJs, type SandboxLimits } from "./run-in-quickjs.js";

interface Request {
  id: number;
  code: string;
  limits: SandboxLimits;
}

let quickjs: Promise<QuickJSWASMModule> = newQuickJSWASMModule();

parentPort?.on("message", async (request: Request) => {
  const module = await quickjs;
  const { result, healthy } = runInQuickJs(module, request.code, request.limits);
  // A module whose runtime failed to dispose is replaced before the next request.
  if (!healthy) quickjs = newQuickJSWASMModule();
  parentPort?.postMessage({ id: request.id, result });
});
parentPort?.postMessage({ ready: true });
