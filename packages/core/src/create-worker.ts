/**
 * createWorker: starts a worker thread from a module URL that works both from built `dist/*.js`
 * and from TypeScript sources (tests, `pnpm pipeline`). For a `.ts` entry it boots the worker with
 * a tiny eval'd script that registers tsx's ESM loader inside the worker and then imports the
 * entry, with the `@llm/source` export condition, because on Node 20 an `--import tsx` in a
 * worker's execArgv does not apply to the worker's own entry module. Reference: Node's
 * worker_threads and tsx's register API. Leaves out: pools and scheduling (each package sizes
 * its own workers).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";

export function createWorker(url: URL, options: WorkerOptions = {}): Worker {
  if (!url.pathname.endsWith(".ts")) return new Worker(url, options);
  const tsxApi = tsxEsmApi(url);
  const boot = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(boot, {
    ...options,
    eval: true,
    execArgv: ["--conditions=@llm/source", ...(options.execArgv ?? [])],
  });
}

/** The file URL of tsx's ESM register API, resolved from the worker file's location (not cwd). */
function tsxEsmApi(from: URL): string {
  const manifestPath = createRequire(from).resolve("tsx/package.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as {
    exports: Record<string, { import: { default: string } }>;
  };
  const entry = manifest.exports["./esm/api"]?.import.default ?? "./dist/esm/api/index.mjs";
  return pathToFileURL(join(dirname(manifestPath), entry)).href;
}
