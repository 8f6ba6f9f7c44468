import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type Document, type DocumentFilter, isLlmError } from "@llm/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCleaning } from "./run-cleaning.js";
import { runCleanShard, runDedupShard, runSignatureShard } from "./sharded-run.js";

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL("../..", import.meta.url));
const cli = ["--import", "tsx", "--conditions=@llm/source", join(packageDir, "src", "cli.ts")];
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "llm-data-failfast-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every file under a folder, recursively. */
async function allFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(root, { withFileTypes: true, recursive: true }))
    if (e.isFile()) out.push(join(e.parentPath, e.name));
  return out;
}

const prose = (i: number) =>
  `Document ${i} is a plain sentence about the weather and the sea, long enough to be kept by the chain.`;

describe("failFast after records were written", () => {
  it("runCleaning raises its LlmError, no ERR_STREAM_DESTROYED, no .tmp left", async () => {
    const out = join(dir, "run");
    const docs: Document[] = Array.from({ length: 400 }, (_, i) => ({
      id: `d${i}`,
      text: prose(i),
      metadata: {},
    }));
    const dropOdd: DocumentFilter = {
      name: "odd",
      apply: (d) =>
        Number(d.id.slice(1)) % 2 === 1
          ? { keep: false, reason: { filter: "odd", rule: "odd" } }
          : { keep: true, document: d },
    };
    // Yields to the event loop like a real async filter, so writes are in flight when it throws.
    const boom: DocumentFilter = {
      name: "boom",
      apply: async (d) => {
        await new Promise((resolve) => setImmediate(resolve));
        if (d.id === "d398") throw new Error("filter exploded");
        return { keep: true, document: d };
      },
    };
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    process.on("uncaughtException", onUncaught);
    try {
      const error = await runCleaning(docs, [dropOdd, boom], {
        exclusionsPath: join(out, "excluded.jsonl"),
        keptPath: join(out, "kept.jsonl"),
        statsPath: join(out, "stats.json"),
        failFast: true,
      }).catch((e: unknown) => e);
      expect(isLlmError(error, "RUN_ERROR")).toBe(true);
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      process.off("uncaughtException", onUncaught);
    }
    expect(uncaught).toEqual([]);
    expect(await allFiles(out)).toEqual([]);
  });

  it("runCleanShard with a bad line late in the file: LlmError naming the line, nothing half-written", async () => {
    const inputs = join(dir, "shard-in");
    await mkdir(inputs, { recursive: true });
    const lines = Array.from({ length: 300 }, (_, i) => JSON.stringify({ id: `d${i}`, text: prose(i) }));
    lines.push("{broken json");
    await writeFile(join(inputs, "a.jsonl"), `${lines.join("\n")}\n`);
    const outDir = join(dir, "shard-out");
    const error = await runCleanShard(0, 1, { inputs: [inputs], outDir, failFast: true }).catch(
      (e: unknown) => e,
    );
    expect(isLlmError(error, "INVALID_INPUT")).toBe(true);
    expect((error as { input?: string }).input).toMatch(/a\.jsonl:301$/);
    expect((await allFiles(outDir)).filter((f) => f.endsWith(".tmp") || f.includes("_done"))).toEqual([]);
  });

  it("CLI clean --fail-fast exits 1 with the LlmError, no stack trace, no .tmp left", async () => {
    const inputs = join(dir, "cli-in");
    await mkdir(inputs, { recursive: true });
    const lines = Array.from({ length: 300 }, (_, i) => JSON.stringify({ id: `d${i}`, text: prose(i) }));
    lines.push("{broken json");
    await writeFile(join(inputs, "a.jsonl"), `${lines.join("\n")}\n`);
    const outDir = join(dir, "cli-out");
    const result = await run(
      process.execPath,
      [...cli, "clean", "--input", inputs, "--out", outDir, "--fail-fast"],
      {
        cwd: packageDir,
      },
    ).then(
      () => ({ code: 0, stderr: "" }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/llm-data: INVALID_INPUT: jsonl: .*malformed_json/);
    expect(result.stderr).toContain("a.jsonl:301");
    expect(result.stderr).not.toMatch(/ERR_STREAM_DESTROYED|\n\s+at /);
    expect((await allFiles(outDir).catch(() => [])).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  }, 60_000);
});

describe("dedup steps out of order", () => {
  it("filter before cluster is a typed error saying to run cluster first", async () => {
    const inputs = join(dir, "dedup-in");
    await mkdir(inputs, { recursive: true });
    await writeFile(join(inputs, "a.jsonl"), `${JSON.stringify({ id: "a", text: prose(1) })}\n`);
    const options = {
      inputs: [inputs],
      outDir: join(dir, "dedup-out"),
      chain: { language: false, gopherQuality: false, c4: false, finewebQuality: false } as const,
    };
    await runCleanShard(0, 1, options);
    await runSignatureShard(0, 1, options);
    const error = await runDedupShard(0, 1, options).catch((e: unknown) => e);
    expect(isLlmError(error, "RUN_ERROR")).toBe(true);
    expect((error as Error).message).toMatch(/cluster/);
    expect((error as { hint?: string }).hint).toMatch(/--step cluster/);
  });
});
