/**
 * ToolSandbox: runs the JavaScript the assistant writes between <|python_start|> and
 * <|python_end|> inside QuickJS compiled to WebAssembly (npm quickjs-emscripten), in a worker
 * thread. Inside the VM each run gets a fresh runtime and context with a memory limit, a stack
 * limit and a deadline (see run-in-quickjs.ts); there is no require, process, fs, fetch, timers or
 * console, and nothing of the host's globals. The host adds a hard wall-clock limit: a snippet still
 * running after timeoutMs + hardKillGraceMs (e.g. stuck inside one long native call, where QuickJS's
 * interrupt handler cannot run) has its worker terminated and replaced. Every failure comes back
 * as a ToolResult with isError, never as an exception. With `search`, snippets can also call
 * `search(query)` over a list of documents (CorpusSearch, inside the worker).
 * Reference: nanochat's execution tool (Python in a subprocess with limits), quickjs-emscripten.
 * Leaves out: Python (the tool language is JavaScript), state across calls, concurrent runs.
 */
import type { Worker } from "node:worker_threads";
import { createWorker, LlmError } from "@llm/core";
import { CorpusSearch, type CorpusSearchOptions } from "./corpus-search.js";
import type { SandboxLimits, ToolErrorKind, ToolResult } from "./run-in-quickjs.js";

export type { ToolErrorKind, ToolResult };

export interface ToolSandboxOptions {
  /** Wall-clock limit per run in ms, checked inside QuickJS. Default 1000. */
  timeoutMs?: number;
  /** Extra time before the host kills a stuck worker, in ms. Default 500. */
  hardKillGraceMs?: number;
  /** QuickJS heap limit in bytes. Default 32 MiB. */
  memoryLimitBytes?: number;
  /** QuickJS stack limit in bytes. Default 512 KiB. */
  maxStackBytes?: number;
  /** Longest output in characters; longer output is a tool error. Default 1000. */
  maxOutputChars?: number;
  /** Longest code in characters. Default 4000. */
  maxCodeChars?: number;
  /** Documents that `search(query)` looks through, and how it answers. Default: no search(). */
  search?: ToolSearchOptions;
}

export interface ToolSearchOptions extends CorpusSearchOptions {
  /** The searchable texts, e.g. a run's pretraining documents. */
  documents: readonly string[];
}

/** The function names of ECMAScript's Math object as calls (`Math.max`, `Math.min`, ...). */
export const MATH_FUNCTIONS: readonly string[] = Object.getOwnPropertyNames(Math)
  .filter((name) => typeof (Math as unknown as Record<string, unknown>)[name] === "function")
  .map((name) => `Math.${name}`);

type Limits = Required<Omit<ToolSandboxOptions, "search">>;

const defaults: Limits = {
  timeoutMs: 1000,
  hardKillGraceMs: 500,
  memoryLimitBytes: 32 * 1024 * 1024,
  maxStackBytes: 512 * 1024,
  maxOutputChars: 1000,
  maxCodeChars: 4000,
};

/** Starts the worker: the built sandbox-worker.js, or the .ts source in development (core's createWorker). */
function startWorker(search: ToolSearchOptions | undefined): Worker {
  const extension = import.meta.url.endsWith(".ts") ? "ts" : "js";
  const { documents, ...options } = search ?? { documents: [] };
  return createWorker(new URL(`./sandbox-worker.${extension}`, import.meta.url), {
    workerData: search ? { search: { documents, options } } : {},
  });
}

export class ToolSandbox {
  private readonly options: Limits;
  private readonly search: ToolSearchOptions | undefined;
  private worker: Promise<Worker> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private closed = false;

  constructor(options: ToolSandboxOptions = {}) {
    const { search, ...limits } = options;
    if (search !== undefined) {
      // Validates the search options here, in the caller's thread, where the error can be caught.
      void new CorpusSearch([], search);
      if (!Array.isArray(search.documents) || search.documents.some((d) => typeof d !== "string")) {
        throw new LlmError(
          "INVALID_CONFIG",
          "ToolSandbox option search.documents must be an array of strings.",
          {
            input: "search.documents",
            hint: "Pass the texts search() should look through, e.g. the run's pretraining documents.",
          },
        );
      }
    }
    this.search = search;
    this.options = { ...defaults, ...limits };
    for (const [key, value] of Object.entries(this.options)) {
      if (!(Number.isFinite(value) && value >= 0) || (key !== "hardKillGraceMs" && value === 0)) {
        throw new LlmError("INVALID_CONFIG", `ToolSandbox option ${key} must be a positive number.`, {
          input: `${key}=${String(value)}`,
          hint: "Leave it out for the default or pass a positive number.",
        });
      }
    }
  }

  /** Creates a sandbox and starts its worker, so that the first run is fast. */
  static async create(options: ToolSandboxOptions = {}): Promise<ToolSandbox> {
    const sandbox = new ToolSandbox(options);
    await sandbox.ensureWorker();
    return sandbox;
  }

  /** Runs one snippet in a fresh QuickJS context; resolves to a result, never rejects for the snippet. */
  /**
   * The functions a snippet can call as tools: the helpers (`count`, and `search` when the sandbox
   * has search documents) and the functions of the ECMAScript `Math` object (`Math.max`, ...), the
   * names @llm/engine's tool grammar (SftChatOptions.toolGrammar) allows a call to start with.
   */
  get tools(): string[] {
    return [...(this.search ? ["search"] : []), "count", ...MATH_FUNCTIONS];
  }

  run(code: string): Promise<ToolResult> {
    const next = this.queue.then(() => this.runNow(code));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Stops the worker. Later runs start a new one. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await (await worker).terminate();
  }

  private ensureWorker(): Promise<Worker> {
    if (!this.worker) {
      this.closed = false;
      this.worker = new Promise<Worker>((resolve, reject) => {
        const worker = startWorker(this.search);
        worker.unref();
        const onReady = (message: { ready?: boolean }) => {
          if (message.ready) {
            worker.off("message", onReady);
            worker.off("error", reject);
            resolve(worker);
          }
        };
        worker.on("message", onReady);
        worker.once("error", (error) =>
          reject(new LlmError("SANDBOX_ERROR", "The tool sandbox worker failed to start.", { cause: error })),
        );
      });
    }
    return this.worker;
  }

  private async runNow(code: string): Promise<ToolResult> {
    const started = performance.now();
    const worker = await this.ensureWorker();
    const limits: SandboxLimits = {
      timeoutMs: this.options.timeoutMs,
      memoryLimitBytes: this.options.memoryLimitBytes,
      maxStackBytes: this.options.maxStackBytes,
      maxOutputChars: this.options.maxOutputChars,
      maxCodeChars: this.options.maxCodeChars,
    };
    const id = this.nextId++;
    return await new Promise<ToolResult>((resolve) => {
      const fail = (output: string, errorKind: ToolErrorKind) =>
        resolve({ output, isError: true, errorKind, elapsedMs: performance.now() - started });
      const cleanup = () => {
        clearTimeout(timer);
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
      };
      const onMessage = (message: { id?: number; result?: ToolResult }) => {
        if (message.id !== id || !message.result) return;
        cleanup();
        resolve(message.result);
      };
      const onError = (error: Error) => {
        cleanup();
        this.worker = undefined;
        void worker.terminate();
        fail(`Error: sandbox crashed (${error.message})`.slice(0, this.options.maxOutputChars), "sandbox");
      };
      const onExit = () => {
        cleanup();
        this.worker = undefined;
        fail("Error: sandbox exited", "sandbox");
      };
      const timer = setTimeout(() => {
        cleanup();
        this.worker = undefined;
        void worker.terminate();
        fail(`Error: timed out after ${this.options.timeoutMs} ms`, "timeout");
      }, this.options.timeoutMs + this.options.hardKillGraceMs);
      worker.on("message", onMessage);
      worker.once("error", onError);
      worker.once("exit", onExit);
      if (this.closed) return fail("Error: sandbox closed", "sandbox");
      worker.postMessage({ id, code, limits });
    });
  }
}
