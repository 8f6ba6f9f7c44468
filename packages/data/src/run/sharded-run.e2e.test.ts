import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { acquireRunLock, type Document } from "@llm/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveRank } from "../cli-args.js";
import { openShardReader } from "../shards/token-shard-reader.js";
import { readCorpus } from "../sources/offline-corpora.js";
import { runLocal } from "./run-local.js";
import {
  readRunOutput,
  runCleanShard,
  runClusterStep,
  runDedupShard,
  runSignatureShard,
} from "./sharded-run.js";

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL("../..", import.meta.url));
let dir: string;
let inputs: string;
const pairs: [string, string][] = [];

async function outputOf(outDir: string, worldSize: number): Promise<string[]> {
  const out: string[] = [];
  for await (const d of readRunOutput(outDir, worldSize)) out.push(`${d.id}\t${d.text}`);
  return out.sort();
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "llm-data-ranks-"));
  inputs = join(dir, "inputs");
  await mkdir(inputs);
  const docs: Document[] = [];
  for await (const d of readCorpus("sotu", { limit: 8 })) docs.push(d);
  for await (const d of readCorpus("moby-dick", { limit: 12 })) docs.push(d);
  // near-duplicates of early documents, placed in other files (other ranks)
  for (const i of [1, 5, 14]) {
    const source = docs[i] as Document;
    docs.push({ id: `${source.id}-copy`, text: source.text.replace(/\bthe\b/, "a"), metadata: {} });
    pairs.push([source.id, `${source.id}-copy`]);
  }
  const files = Array.from({ length: 8 }, () => [] as string[]);
  for (const [i, d] of docs.entries()) files[(i * 3) % 8]?.push(JSON.stringify({ id: d.id, text: d.text }));
  files[2]?.push("{broken json");
  await Promise.all(
    files.map((lines, i) => writeFile(join(inputs, `part-${i}.jsonl`), `${lines.join("\n")}\n`)),
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("sharded runs", () => {
  let single: string[];

  it("one rank in-process: cleans, dedups across files and records bad lines", async () => {
    const outDir = join(dir, "one");
    const result = await runLocal({ inputs: [inputs], outDir });
    single = await outputOf(outDir, 1);
    expect(single.length).toBeGreaterThan(10);
    expect(result.stats.sourceIssues).toEqual({ malformed_json: 1 });
    const dedup = result.stats.filters.find((f) => f.name === "minhash_dedup");
    expect(dedup?.dropped).toBe(3);
    const ids = new Set(single.map((l) => l.split("\t")[0]));
    for (const [a, b] of pairs) expect(Number(ids.has(a)) + Number(ids.has(b)), a).toBe(1);
    expect(existsSync(join(outDir, "stats.json"))).toBe(true);
    expect(existsSync(join(outDir, "_done", "0"))).toBe(true);
  });

  it("4 ranks as separate processes keep exactly what 1 rank keeps, and reruns skip", async () => {
    const outDir = join(dir, "four");
    const cli = ["--import", "tsx", "--conditions=@llm/source", join(packageDir, "src", "cli.ts")];
    const env = { ...process.env };
    delete env.SLURM_ARRAY_TASK_ID;
    delete env.JOB_COMPLETION_INDEX;
    const options = { cwd: packageDir, env };
    const clean = (rank: number) =>
      run(
        process.execPath,
        [...cli, "clean", "--input", inputs, "--out", outDir, "--rank", String(rank), "--world-size", "4"],
        options,
      );
    const outputs = await Promise.all([0, 1, 2, 3].map(clean));
    expect(outputs.map((o) => o.stdout.trim())).toEqual(
      [0, 1, 2, 3].map((r) => `rank ${r}/4 (flags): cleaned 2 files`),
    );
    const shard = { inputs: [inputs], outDir };
    for (const rank of [0, 1, 2, 3]) await runSignatureShard(rank, 4, shard);
    await runClusterStep(4, shard);
    for (const rank of [0, 1, 2, 3]) await runDedupShard(rank, 4, shard);
    expect(await outputOf(outDir, 4)).toEqual(single);
    expect((await runCleanShard(2, 4, shard)).skipped).toBe(true);
    const inspect = await run(
      process.execPath,
      [...cli, "inspect", "--out", outDir, "--dropped", "--rule", "near_duplicate"],
      options,
    );
    expect(inspect.stdout).toMatch(/DROPPED \S+ {2}minhash_dedup\/near_duplicate/);
  }, 120_000);

  it("2 worker threads keep exactly what 1 rank keeps", async () => {
    const outDir = join(dir, "threads");
    const result = await runLocal({ inputs: [inputs], outDir, workers: 2 });
    expect(result.worldSize).toBe(2);
    expect(await outputOf(outDir, 2)).toEqual(single);
    const rerun = await runLocal({ inputs: [inputs], outDir, workers: 2 });
    expect(rerun.skipped).toEqual({ clean: 2, signature: 2, cluster: 1, dedup: 2 });
    const marker = JSON.parse(await readFile(join(outDir, "_done", "1"), "utf8")) as { worldSize: number };
    expect(marker.worldSize).toBe(2);
    await expect(runLocal({ inputs: [inputs], outDir, workers: 3 })).rejects.toThrow(/world size/);
  }, 60_000);

  it("CLI: corpus to JSONL, then tokenize it into shards", async () => {
    const cli = ["--import", "tsx", "--conditions=@llm/source", join(packageDir, "src", "cli.ts")];
    const jsonl = join(dir, "moby.jsonl");
    const shards = join(dir, "cli-shards");
    await run(process.execPath, [...cli, "corpus", "--name", "moby-dick", "--limit", "3", "--out", jsonl], {
      cwd: packageDir,
    });
    const { stdout } = await run(
      process.execPath,
      [
        ...cli,
        "tokenize",
        "--input",
        jsonl,
        "--shards",
        shards,
        "--tokenizer",
        "bytes",
        "--shard-tokens",
        "5000",
      ],
      { cwd: packageDir },
    );
    expect(stdout).toMatch(/tokenized 3 documents, \d+ tokens \(1\.00 bytes\/token\) into \d+ shards/);
    const reader = await openShardReader(join(shards, "shard_000000.bin"));
    expect(reader.header.tokenCount).toBe(5000);
    expect((await reader.read(0, 1))[0]).toBe(256); // <|bos|> of the byte tokenizer
    await reader.close();
  }, 60_000);

  it("CLI: one writer per run folder (a rank locks only its part; a held folder is LOCKED)", async () => {
    const cli = ["--import", "tsx", "--conditions=@llm/source", join(packageDir, "src", "cli.ts")];
    const outDir = join(dir, "locked");
    const held = await acquireRunLock(join(outDir, "rank-1"), { command: "another cleaner" });
    const clean = (...extra: string[]) =>
      run(process.execPath, [...cli, "clean", "--input", inputs, "--out", outDir, ...extra], {
        cwd: packageDir,
      }).then(
        () => "",
        (error: { stderr: string }) => error.stderr,
      );
    // rank 0 runs beside the holder of rank 1; rank 1 and the whole-folder run are refused
    expect(await clean("--rank", "0", "--world-size", "2")).toBe("");
    expect(await clean("--rank", "1", "--world-size", "2")).toMatch(
      /LOCKED: .*being written by another cleaner \(pid/,
    );
    expect(await clean()).toMatch(/LOCKED: .*another cleaner/);
    await held.release();
    expect(existsSync(join(outDir, ".rank-0.lock"))).toBe(false);
  }, 60_000);

  it("reads ranks from flags, Slurm arrays and Kubernetes indexed Jobs", () => {
    expect(resolveRank({ rank: "1", worldSize: "4" }, {})).toEqual({ rank: 1, worldSize: 4, from: "flags" });
    expect(
      resolveRank({}, { SLURM_ARRAY_TASK_ID: "6", SLURM_ARRAY_TASK_MIN: "5", SLURM_ARRAY_TASK_COUNT: "3" }),
    ).toEqual({
      rank: 1,
      worldSize: 3,
      from: "slurm",
    });
    expect(resolveRank({ worldSize: "8" }, { JOB_COMPLETION_INDEX: "7" })).toEqual({
      rank: 7,
      worldSize: 8,
      from: "kubernetes",
    });
    expect(resolveRank({}, {})).toBeUndefined();
    expect(() => resolveRank({}, { JOB_COMPLETION_INDEX: "1" })).toThrow(/--world-size/);
    expect(() => resolveRank({ rank: "4", worldSize: "4" }, {})).toThrow(/outside/);
    expect(() => resolveRank({ rank: "x", worldSize: "4" }, {})).toThrow(/integer/);
  });
});
