/**
 * runInQuickJs: the in-VM half of the tool sandbox. Evaluates one snippet in a fresh QuickJS
 * runtime and context (ECMAScript built-ins only: no require, process, fs, fetch, timers, console)
 * with a memory limit, a stack limit and a deadline checked by QuickJS's interrupt handler, and
 * turns the completion value into text inside the VM. Runs inside the sandbox worker thread, which
 * the host kills when a snippet outlives its deadline inside a long native call (the interrupt
 * handler only runs between bytecodes).
 * With a `search` function, the snippet can call `search(query)`, which returns an array of
 * result strings (CorpusSearch in the host thread, called synchronously). Every snippet can call the
 * helpers of SANDBOX_HELPERS (`count(text, letter)`).
 * Reference: quickjs-emscripten's README (runtime limits, shouldInterruptAfterDeadline, host
 * functions with newFunction).
 * A snippet whose value is a promise (an async function, say) is settled by running QuickJS's job
 * queue under the same deadline. The deadline decides over whatever error came back (a Promise
 * executor or an async function turns the interrupt into a rejection), and a snippet stopped at the
 * deadline with a nearly full heap is reported as out of memory.
 * Leaves out: timers and other host event sources (a promise that waits on nothing never
 * settles and is reported as such) and state kept across calls.
 */
import type { QuickJSContext, QuickJSHandle, QuickJSWASMModule } from "quickjs-emscripten";
import { shouldInterruptAfterDeadline } from "quickjs-emscripten";
import { SANDBOX_HELPERS } from "./sandbox-helpers.js";

export interface SandboxLimits {
  /** Wall-clock limit per run in ms. */
  timeoutMs: number;
  /** QuickJS heap limit in bytes. */
  memoryLimitBytes: number;
  /** QuickJS stack limit in bytes. */
  maxStackBytes: number;
  /** Longest output in characters; longer output is a tool error. */
  maxOutputChars: number;
  /** Longest code in characters. */
  maxCodeChars: number;
}

export type ToolErrorKind =
  | "syntax"
  | "runtime"
  | "timeout"
  | "memory"
  | "output_too_long"
  | "code_too_long"
  | "sandbox";

export interface ToolResult {
  /** The result as text, or the error message when isError. */
  output: string;
  isError: boolean;
  /** What went wrong, when isError. */
  errorKind?: ToolErrorKind;
  /** Milliseconds the run took. */
  elapsedMs: number;
}

/** Evaluates the code with indirect eval (so statements work too); the completion value stays a handle. */
function evaluation(code: string): string {
  return `(0, eval)(${JSON.stringify(code)})`;
}

/** Turns a completion value into text inside the VM (strings as they are, the rest as JSON or String()). */
const STRINGIFY = `(function (value) {
  if (typeof value === "string") return value;
  var json;
  try { json = JSON.stringify(value); } catch (e) { json = undefined; }
  return json === undefined ? String(value) : json;
})`;

/**
 * A snippet stopped at its deadline whose heap holds at least this share of the memory limit was
 * allocating its way towards the limit (QuickJS's collector slows down sharply near a full heap,
 * so such loops often reach the deadline first): it is reported as out of memory.
 */
const MEMORY_SHARE_AT_DEADLINE = 0.5;

function describeError(raw: unknown): string {
  if (raw && typeof raw === "object") {
    const e = raw as { name?: unknown; message?: unknown };
    const name = typeof e.name === "string" ? e.name : "Error";
    const message = typeof e.message === "string" ? e.message : JSON.stringify(raw);
    return `${name}: ${message}`;
  }
  return String(raw);
}

/**
 * Defines `search(query)` in the context: the host returns JSON, which the VM parses into an
 * array of strings, so no host object crosses into the VM.
 */
function installSearch(context: QuickJSContext, search: (query: string) => string[]): void {
  const host = context.newFunction("__hostSearch", (queryHandle) => {
    const query = context.typeof(queryHandle) === "string" ? context.getString(queryHandle) : "";
    return context.newString(JSON.stringify(search(query)));
  });
  context.setProp(context.global, "__hostSearch", host);
  host.dispose();
  const defined = context.evalCode(
    `globalThis.search = function search(query) {
  if (typeof query !== "string") throw new TypeError('search(query) needs a string, e.g. search("Paris")');
  return JSON.parse(__hostSearch(query));
};`,
    "search.js",
  );
  if (defined.error) {
    defined.error.dispose();
    throw new Error("could not define search() in the sandbox");
  }
  defined.value.dispose();
}

/**
 * Runs one snippet. `healthy` is false when QuickJS itself failed (e.g. its leak check on
 * dispose), after which the caller should load a fresh module.
 */
export function runInQuickJs(
  quickjs: QuickJSWASMModule,
  code: string,
  limits: SandboxLimits,
  search?: (query: string) => string[],
): { result: ToolResult; healthy: boolean } {
  const started = performance.now();
  const { timeoutMs, memoryLimitBytes, maxStackBytes, maxOutputChars, maxCodeChars } = limits;
  let healthy = true;
  const done = (output: string, isError: boolean, errorKind?: ToolErrorKind): ToolResult => ({
    output,
    isError,
    ...(errorKind ? { errorKind } : {}),
    elapsedMs: performance.now() - started,
  });
  if (code.length > maxCodeChars) {
    return {
      result: done(
        `Error: code too long (${code.length} chars, limit ${maxCodeChars})`,
        true,
        "code_too_long",
      ),
      healthy,
    };
  }
  let result: ToolResult;
  const runtime = quickjs.newRuntime();
  try {
    runtime.setMemoryLimit(memoryLimitBytes);
    runtime.setMaxStackSize(maxStackBytes);
    let timedOut = false;
    /** Heap bytes in use at the moment the deadline struck (before unwinding frees anything). */
    let heapAtDeadline = 0;
    const interrupt = shouldInterruptAfterDeadline(Date.now() + timeoutMs);
    const context = runtime.newContext();
    const heapUsed = (): number => {
      try {
        const handle = runtime.computeMemoryUsage();
        const usage = context.dump(handle) as { memory_used_size?: number };
        handle.dispose();
        return usage.memory_used_size ?? 0;
      } catch {
        return memoryLimitBytes; // counting failed for want of memory
      }
    };
    runtime.setInterruptHandler((rt) => {
      if (!timedOut && interrupt(rt)) {
        timedOut = true;
        heapAtDeadline = heapUsed();
      }
      return timedOut;
    });
    const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
    const timeout = (): ToolResult => {
      const used = heapAtDeadline;
      return used >= MEMORY_SHARE_AT_DEADLINE * memoryLimitBytes
        ? done(
            `Error: out of memory (${mib(used)} MiB in use against a limit of ${mib(memoryLimitBytes)} MiB when the ${timeoutMs} ms deadline stopped it)`,
            true,
            "memory",
          )
        : done(`Error: timed out after ${timeoutMs} ms`, true, "timeout");
    };
    const failure = (errorHandle: QuickJSHandle): ToolResult => {
      let raw: unknown;
      try {
        raw = context.dump(errorHandle);
      } catch {
        raw = "unknown error";
      }
      errorHandle.dispose();
      const message = describeError(raw);
      // The deadline's interrupt can be caught on its way out (a Promise executor or an async
      // function turns it into a rejection), so the flag decides, not the error that came back.
      if (timedOut) return timeout();
      if (/out of memory/i.test(message)) return done("Error: out of memory", true, "memory");
      const kind: ToolErrorKind = message.startsWith("SyntaxError") ? "syntax" : "runtime";
      return done(`Error: ${message}`.slice(0, maxOutputChars), true, kind);
    };
    try {
      if (search) installSearch(context, search);
      context.unwrapResult(context.evalCode(SANDBOX_HELPERS, "helpers.js")).dispose();
      const evaluated = context.evalCode(evaluation(code), "tool.js");
      if (evaluated.error) result = failure(evaluated.error);
      else {
        let value: QuickJSHandle | undefined = evaluated.value;
        let settled: ToolResult | undefined;
        // A promise (an async function's result, say) is settled by running the VM's job queue,
        // under the same deadline; there are no timers or I/O, so what is still pending then never settles.
        const state = context.getPromiseState(value);
        if (!(state.type === "fulfilled" && state.notAPromise)) {
          // Only the state after the job queue ran counts; this first look just frees what it got.
          if (state.type === "fulfilled") state.value.dispose();
          else if (state.type === "rejected") state.error.dispose();
          const jobs = runtime.executePendingJobs(-1);
          if (jobs.error) {
            jobs.error.dispose();
            if (timedOut) settled = timeout();
          }
          if (!settled) {
            const final = context.getPromiseState(value);
            if (final.type === "fulfilled") {
              value.dispose();
              value = final.value;
            } else if (final.type === "rejected") {
              settled = failure(final.error);
            } else {
              settled = timedOut
                ? timeout()
                : done(
                    "Error: the promise never settled (the sandbox has no timers or I/O to wait for)",
                    true,
                    "runtime",
                  );
            }
          }
        }
        if (settled) {
          value.dispose();
          result = settled;
        } else if (timedOut) {
          value.dispose();
          result = timeout();
        } else {
          const stringify = context.unwrapResult(context.evalCode(STRINGIFY, "stringify.js"));
          const text = context.callFunction(stringify, context.undefined, value);
          stringify.dispose();
          value.dispose();
          if (text.error) result = failure(text.error);
          else {
            const output = context.typeof(text.value) === "string" ? context.getString(text.value) : "";
            text.value.dispose();
            result =
              output.length > maxOutputChars
                ? done(
                    `Error: output too long (${output.length} chars, limit ${maxOutputChars})`,
                    true,
                    "output_too_long",
                  )
                : done(output, false);
          }
        }
      }
    } finally {
      context.dispose();
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    healthy = false;
    result = /memory/i.test(message)
      ? done("Error: out of memory", true, "memory")
      : done(`Error: ${message}`.slice(0, maxOutputChars), true, "sandbox");
  }
  try {
    runtime.dispose();
  } catch {
    // QuickJS's leak check can fail after a stack overflow or OOM; the caller reloads the module.
    healthy = false;
  }
  return { result, healthy };
}
