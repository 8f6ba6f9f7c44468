/**
 * The tool sandbox's worker thread: receives { id, code, limits }, runs the code through
 * runInQuickJs and posts { id, result } back. With `workerData.search` ({ documents, options }),
 * snippets can call search(query) over those documents (CorpusSearch, built once per worker). Runs in its own thread so that the host can kill it
 * (Worker.terminate) when a snippet is stuck inside a long native call past its deadline.
 * Reference: Node's worker_threads. Leaves out: running several snippets concurrently.
 */
import { parentPort, workerData } from "node:worker_threads";
import { newQuickJSWASMModule, type QuickJSWASMModule } from "quickjs-emscripten";
import { CorpusSearch, type CorpusSearchOptions } from "./corpus-search.js";
import { runInQuickJs, type SandboxLimits } from "./run-in-quickjs.js";

interface Request {
  id: number;
  code: string;
  limits: SandboxLimits;
}

const searchData = (workerData as { search?: { documents: string[]; options: CorpusSearchOptions } } | null)
  ?.search;
const corpus = searchData ? new CorpusSearch(searchData.documents, searchData.options) : undefined;
const search = corpus ? (query: string) => corpus.search(query) : undefined;

let quickjs: Promise<QuickJSWASMModule> = newQuickJSWASMModule();

parentPort?.on("message", async (request: Request) => {
  const module = await quickjs;
  const { result, healthy } = runInQuickJs(module, request.code, request.limits, search);
  // A module whose runtime failed to dispose is replaced before the next request.
  if (!healthy) quickjs = newQuickJSWASMModule();
  parentPort?.postMessage({ id: request.id, result });
});
parentPort?.postMessage({ ready: true });
