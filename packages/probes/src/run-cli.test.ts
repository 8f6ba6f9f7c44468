import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProbes } from "./all-probes.js";
import { readResultsFile, writeResultsFile } from "./results-file.js";
import { runCli } from "./run-cli.js";
import { runProbes } from "./run-probes.js";
import { createScriptedProbeContext } from "./testing/index.js";

let dir: string;
let resultsPath: string;

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) } };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "llm-probes-cli-"));
  resultsPath = join(dir, "probes", "results.json");
  const context = await createScriptedProbeContext();
  const results = await runProbes(
    context,
    createProbes({}, ["letter-counting", "identity", "reasoning-order", "rl-gain"]),
  );
  await writeResultsFile(resultsPath, results);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("llm-probes CLI", () => {
  it("list names every probe with its claim", async () => {
    const c = capture();
    expect(await runCli(["list"], c.io)).toBe(0);
    expect(c.out).toHaveLength(9);
    expect(c.out[0]).toMatch(/^tokens-not-words: /);
  });

  it("render prints markdown of a results file, or writes md and html", async () => {
    const c = capture();
    expect(await runCli(["render", resultsPath, "--title", "Run X"], c.io)).toBe(0);
    expect(c.out[0]).toMatch(/^# Run X\n/);
    expect(c.out[0]).toContain("With the tool, SFT counts letters correctly");
    const md = join(dir, "out", "report.md");
    const html = join(dir, "out", "report.html");
    const d = capture();
    expect(await runCli(["render", resultsPath, "--md", md, "--html", html], d.io)).toBe(0);
    expect(d.out).toEqual([`wrote ${md}`, `wrote ${html}`]);
    expect(await readFile(html, "utf8")).toContain("Chart.js v4");
  });

  it("round-trips NaN metrics through results.json", async () => {
    const path = join(dir, "nan.json");
    await writeResultsFile(path, [
      { name: "x", title: "X", metrics: { a: Number.NaN, b: 0.5 }, examples: [], finding: "f" },
    ]);
    const [r] = await readResultsFile(path);
    expect(Number.isNaN(r!.metrics.a)).toBe(true);
    expect(r!.metrics.b).toBe(0.5);
  });

  it("reports bad input with an error code and exit status 2", async () => {
    const bad = join(dir, "bad.json");
    await writeFile(bad, JSON.stringify([{ name: "x" }]));
    for (const [args, pattern] of [
      [["render", bad], /FILE_CORRUPT.*no string "title"/],
      [["render", join(dir, "missing.json")], /FILE_NOT_FOUND/],
      [["frobnicate"], /Unknown command/],
      [["run", dir, "--probes", "strawberry"], /Unknown probe name/],
      [["run", dir, "--items", "-3"], /--items must be a positive integer/],
    ] as const) {
      const c = capture();
      expect(await runCli(args, c.io)).toBe(2);
      expect(c.err.join("\n")).toMatch(pattern);
    }
    const h = capture();
    expect(await runCli([], h.io)).toBe(1);
    expect(h.out[0]).toContain("usage:");
  });
});
