/**
 * createWorker: starts a worker thread from a module URL that works both from built `dist/*.js`
 * and from TypeScript sources (tests, `pnpm pipeline`), where it loads the worker through tsx
 * with the `@llm/source` export condition. Reference: Node's worker_threads. Leaves out: pools
 * and scheduling (each package sizes its own workers).
 */
import { Worker, type WorkerOptions } from "node:worker_threads";

export function createWorker(url: URL, options: WorkerOptions = {}): Worker {
  const isTs = url.pathname.endsWith(".ts");
  const execArgv = isTs
    ? ["--import", "tsx", "--conditions=@llm/source", ...(options.execArgv ?? [])]
    : options.execArgv;
  return new Worker(url, { ...options, ...(execArgv ? { execArgv } : {}) });
}
