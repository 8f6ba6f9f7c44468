import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ToolSandbox } from "./tool-sandbox.js";

let sandbox: ToolSandbox;
beforeAll(async () => {
  sandbox = await ToolSandbox.create({
    timeoutMs: 300,
    hardKillGraceMs: 300,
    memoryLimitBytes: 8 * 1024 * 1024,
  });
});
afterAll(async () => {
  await sandbox.close();
});

const run = (code: string) => sandbox.run(code);

describe("ToolSandbox", () => {
  it("runs the expressions our datasets teach", async () => {
    expect(await run('"strawberry".split("r").length - 1')).toMatchObject({ output: "3", isError: false });
    expect(await run("Math.max(9.11, 9.9)")).toMatchObject({ output: "9.9", isError: false });
    expect((await run('"strawberry".split("").join("-")')).output).toBe("s-t-r-a-w-b-e-r-r-y");
    expect((await run("let x = 2; x * 21")).output).toBe("42");
    expect((await run("[1, 2]")).output).toBe("[1,2]");
    expect((await run("undefined")).output).toBe("undefined");
  });

  it("counts a letter with count(text, letter), spaces around either trimmed, case ignored", async () => {
    expect(await run('count(" strawberry", " r")')).toMatchObject({ output: "3", isError: false });
    expect((await run('count("strawberry", "r")')).output).toBe("3");
    expect((await run('count(" coffee", " e")')).output).toBe("2");
    expect((await run('count(" banana", " z")')).output).toBe("0");
    expect((await run('count(" Rose", " r")')).output).toBe("1");
    expect((await run('count(" STRAWBERRY", " r")')).output).toBe("3");
    expect(await run('count(" banana", " ")')).toMatchObject({ isError: true, errorKind: "runtime" });
    expect(await run("count(3, 4)")).toMatchObject({ isError: true, errorKind: "runtime" });
    expect((await run('" strawberry".split(" r".trim()).length - 1')).output).toBe("3");
  });

  it("reports syntax and runtime errors as tool errors", async () => {
    expect(await run("1 +")).toMatchObject({ isError: true, errorKind: "syntax" });
    const thrown = await run('throw new TypeError("nope")');
    expect(thrown).toMatchObject({ isError: true, errorKind: "runtime" });
    expect(thrown.output).toContain("TypeError: nope");
  });

  it("stops an infinite loop at the deadline", async () => {
    const result = await run("while (true) {}");
    expect(result).toMatchObject({ isError: true, errorKind: "timeout" });
    expect(result.elapsedMs).toBeLessThan(2000);
  });

  it("reports a deadline reached inside a Promise or an async function as a timeout", async () => {
    for (const code of [
      "new Promise(() => { for (;;) {} })",
      "(async () => { for (;;) {} })()",
      "(async () => { await 0; while (true) {} })()",
      "Promise.resolve().then(() => { for (;;) {} })",
      // the interrupt cannot be caught into a success either
      "try { for (;;) {} } catch (e) { 'caught' }",
    ]) {
      const result = await run(code);
      expect(result, code).toMatchObject({ isError: true, errorKind: "timeout" });
      expect(result.output, code).toBe("Error: timed out after 300 ms");
      expect(result.elapsedMs, code).toBeLessThan(2000);
    }
  });

  it("settles promises: an async result is the value, a rejection is an error, a promise waiting on nothing says so", async () => {
    expect(await run("(async () => 41 + 1)()")).toMatchObject({ output: "42", isError: false });
    expect(await run('Promise.resolve("s").then((s) => s + "!")')).toMatchObject({
      output: "s!",
      isError: false,
    });
    const rejected = await run('Promise.reject(new RangeError("no"))');
    expect(rejected).toMatchObject({ isError: true, errorKind: "runtime" });
    expect(rejected.output).toContain("RangeError: no");
    const pending = await run("new Promise(() => {})");
    expect(pending).toMatchObject({ isError: true, errorKind: "runtime" });
    expect(pending.output).toContain("never settled");
  });

  it("reports loops of allocations as out of memory, however they run", async () => {
    // Its own sandbox with a deadline long enough that the heap fills before it on a loaded
    // machine too (a 300 ms deadline is reached first when the CPU is shared with other work,
    // and then the heap's share at the deadline decides).
    const roomy = await ToolSandbox.create({
      timeoutMs: 5000,
      hardKillGraceMs: 1000,
      memoryLimitBytes: 8 * 1024 * 1024,
    });
    try {
      for (const code of [
        "let a = []; while (true) a.push({ x: [1, 2, 3] });",
        "let a = []; for (;;) a.push('x'.repeat(1000) + a.length);",
        "(async () => { const a = []; for (;;) a.push([1, 2]); })()",
        "new Promise(() => { const a = []; for (;;) a.push({ y: a.length }); })",
      ]) {
        const result = await roomy.run(code);
        expect(result, code).toMatchObject({ isError: true, errorKind: "memory" });
        expect(result.output, code).toMatch(/^Error: out of memory/);
      }
    } finally {
      await roomy.close();
    }
    // Big arrays filled in one native call can stall past the deadline, where only the host's hard
    // kill stops them; that is reported as a timeout, still within the hard deadline.
    const before = performance.now();
    const arrays = await run("let a = []; while (true) a.push(new Array(100000).fill(1));");
    expect(arrays.isError).toBe(true);
    expect(["memory", "timeout"]).toContain(arrays.errorKind);
    expect(performance.now() - before).toBeLessThan(3000);
    expect((await run('let s = "x"; while (true) s = s + s;')).isError).toBe(true);
    // A loop that allocates but frees what it made is a timeout, not memory.
    expect(await run("for (;;) { const a = [1, 2, 3]; }")).toMatchObject({ errorKind: "timeout" });
    // The sandbox still works afterwards.
    expect((await run("1 + 1")).output).toBe("2");
  });

  it("contains deep recursion", async () => {
    const result = await run("function f(n) { return f(n + 1) + 1; } f(0)");
    expect(result.isError).toBe(true);
    expect(result.output).toMatch(/stack|memory/i);
    expect((await run("2 + 2")).output).toBe("4");
  });

  it("gives no access to the host", async () => {
    for (const name of [
      "require",
      "process",
      "fs",
      "fetch",
      "setTimeout",
      "setInterval",
      "console",
      "Buffer",
      "module",
      "global",
      "WebAssembly",
    ]) {
      expect((await run(`typeof ${name}`)).output, name).toBe("undefined");
    }
    for (const attack of [
      'require("fs")',
      "process.exit(1)",
      'fetch("http://example.com")',
      "globalThis.process.mainModule",
      'this.constructor.constructor("return process")().exit()',
      'Function("return require")()("child_process")',
    ]) {
      const result = await run(attack);
      expect(result.isError, attack).toBe(true);
      expect(result.errorKind, attack).toBe("runtime");
    }
    // Dynamic import has no module loader to reach: it yields a promise that never gives host modules.
    expect((await run('typeof import("fs")')).output).not.toContain("function");
    const globals = JSON.parse((await run("Object.getOwnPropertyNames(globalThis)")).output) as string[];
    for (const hostOnly of ["process", "require", "fetch", "setTimeout", "Buffer", "global", "console"]) {
      expect(globals).not.toContain(hostOnly);
    }
    // Nothing leaks from one run to the next.
    await run("globalThis.leak = 42");
    expect((await run("typeof leak")).output).toBe("undefined");
    // The host is unaffected.
    expect(typeof process.exit).toBe("function");
    expect((globalThis as { leak?: unknown }).leak).toBeUndefined();
  });

  it("rejects huge output and huge code", async () => {
    expect(await run('"x".repeat(100000)')).toMatchObject({ isError: true, errorKind: "output_too_long" });
    expect(await run("1".repeat(10000))).toMatchObject({ isError: true, errorKind: "code_too_long" });
  });
});

describe("ToolSandbox search()", () => {
  it("looks the query up in the documents it was given", async () => {
    const searching = await ToolSandbox.create({
      search: { documents: ["Wilnar is a baker from Lomek.", "Lomek is a town in Torven."] },
    });
    try {
      expect(await searching.run('search("Wilnar")')).toMatchObject({
        output: '["Wilnar is a baker from Lomek."]',
        isError: false,
      });
      expect((await searching.run('search("Venquimek")')).output).toBe("[]");
      expect((await searching.run('search("Lomek").length')).output).toBe("1");
      const wrong = await searching.run("search(42)");
      expect(wrong).toMatchObject({ isError: true, errorKind: "runtime" });
      expect(wrong.output).toContain("search(query) needs a string");
    } finally {
      await searching.close();
    }
  });

  it("is not defined without documents", async () => {
    const result = await run('search("Wilnar")');
    expect(result).toMatchObject({ isError: true, errorKind: "runtime" });
    expect(result.output).toContain("'search' is not defined");
  });

  it("rejects bad search options before starting a worker", () => {
    expect(() => new ToolSandbox({ search: { documents: ["a"], maxResults: -1 } })).toThrow(/maxResults/);
    expect(() => new ToolSandbox({ search: { documents: [3 as unknown as string] } })).toThrow(
      /search.documents must be an array of strings/,
    );
  });
});
