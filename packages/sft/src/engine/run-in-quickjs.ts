/**
 * runInQuickJs: the in-VM half of the tool sandbox. Evaluates one snippet in a fresh QuickJS
 * runtime and context (ECMAScript built-ins only: no require, process, fs, fetch, timers, console)
 * with a memory limit, a stack limit and a deadline checked by QuickJS's interrupt handler, and
 * turns the completion value into text inside the VM. Runs inside the sandbox worker thread, which
 * the host kills when a snippet outlives its deadline inside a long native call (the interrupt
 * handler only runs between bytecodes).
 * With a `search` function, the snippet can call `search(query)`, which returns an array of
 * result strings (CorpusSearch in the host thread, called synchronously).
 * Reference: quickjs-emscripten's README (runtime limits, shouldInterruptAfterDeadline, host
 * functions with newFunction).
 * Leaves out: async code and state kept across calls.
 */
import type { QuickJSContext, QuickJSWASMModule } from "quickjs-emscripten";
import { shouldInterruptAfterDeadline } from "quickjs-emscripten";

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

/** Evaluates the code with indirect eval (so statements work too) and stringifies inside the VM. */
function wrap(code: string): string {
  return `(function () {
  var value = (0, eval)(${JSON.stringify(code)});
  if (typeof value === "string") return value;
  var json;
  try { json = JSON.stringify(value); } catch (e) { json = undefined; }
  return json === undefined ? String(value) : json;
})()`;
}

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
    const interrupt = shouldInterruptAfterDeadline(Date.now() + timeoutMs);
    runtime.setInterruptHandler((rt) => {
      timedOut = Boolean(interrupt(rt));
      return timedOut;
    });
    const context = runtime.newContext();
    try {
      if (search) installSearch(context, search);
      const evaluated = context.evalCode(wrap(code), "tool.js");
      if (evaluated.error) {
        let raw: unknown;
        try {
          raw = context.dump(evaluated.error);
        } catch {
          raw = "unknown error";
        }
        evaluated.error.dispose();
        const message = describeError(raw);
        if (timedOut) result = done(`Error: timed out after ${timeoutMs} ms`, true, "timeout");
        else if (/out of memory/i.test(message)) result = done("Error: out of memory", true, "memory");
        else {
          const kind: ToolErrorKind = message.startsWith("SyntaxError") ? "syntax" : "runtime";
          result = done(`Error: ${message}`.slice(0, maxOutputChars), true, kind);
        }
      } else {
        const text = context.getString(evaluated.value);
        evaluated.value.dispose();
        result =
          text.length > maxOutputChars
            ? done(
                `Error: output too long (${text.length} chars, limit ${maxOutputChars})`,
                true,
                "output_too_long",
              )
            : done(text, false);
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
