import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { acquireRunLock, lockPathFor } from "@llm/core";
import { openShardWriter } from "@llm/data";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";
import { patternTokens } from "./test-helpers.js";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "llm-model-cli-"));
  const writer = await openShardWriter(join(root, "shards", "shard-000.bin"));
  await writer.write(patternTokens(6000));
  await writer.close();
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function run(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe("llm-model CLI", () => {
  it("trains from shards, resumes, and reports info, samples and eval", async () => {
    const ckpt = join(root, "ckpt");
    const common = ["--data", join(root, "shards"), "--out", ckpt, "--vocab-size", "64", "--backend", "wasm"];
    const shape = [
      "--n-embd",
      "32",
      "--n-layer",
      "2",
      "--n-head",
      "2",
      "--seq-len",
      "16",
      "--batch-size",
      "4",
    ];
    const first = await run(
      "train",
      ...common,
      ...shape,
      "--steps",
      "4",
      "--eval-every",
      "2",
      "--checkpoint-every",
      "2",
    );
    expect(first.code, first.err.join("\n")).toBe(0);
    expect(first.out).toHaveLength(4);
    expect(first.out[1]).toMatch(/step 2\/4 \| loss [\d.]+ .*\| val [\d.]+/);
    expect(first.err.join("\n")).toMatch(/tensor backend: wasm/);

    // A live writer of the folder: a second trainer is refused, naming it.
    const held = await acquireRunLock(ckpt, { command: "another trainer" });
    const locked = await run("train", ...common, ...shape, "--steps", "6", "--resume");
    expect(locked.code).toBe(1);
    expect(locked.err.join("\n")).toMatch(/^error \[LOCKED\]: .* another trainer \(pid \d+ on /m);
    await held.release();

    // An empty temp folder of a save killed before its renames is removed on the next start.
    const leftover = join(dirname(ckpt), `.${basename(ckpt)}.00ff00ff00ff.tmp`);
    await mkdir(leftover);
    const more = await run("train", ...common, ...shape, "--steps", "6", "--resume");
    expect(more.code, more.err.join("\n")).toBe(0);
    expect(more.out[0]).toMatch(/^step 5\/6/);
    expect(more.err.join("\n")).toContain(`removed ${leftover}`);
    expect(existsSync(leftover)).toBe(false);
    expect(existsSync(lockPathFor(ckpt))).toBe(false);

    const info = await run("info", ckpt);
    expect(info.code).toBe(0);
    expect(JSON.parse(info.out.join("\n"))).toMatchObject({ vocabSize: 64, nEmbd: 32, state: { step: 6 } });

    const sample = await run("sample", ckpt, "--ids", "1,2,3", "--max-tokens", "5", "--backend", "wasm");
    expect(sample.code, sample.err.join("\n")).toBe(0);
    expect(sample.out[0]?.split(",")).toHaveLength(5);

    const evalRun = await run(
      "eval",
      ckpt,
      "--data",
      join(root, "shards"),
      "--batches",
      "2",
      "--batch-size",
      "2",
    );
    expect(evalRun.code, evalRun.err.join("\n")).toBe(0);
    expect(JSON.parse(evalRun.out[0] ?? "{}").loss).toBeGreaterThan(0);
  });

  it("prints usage and clear errors", async () => {
    expect((await run()).code).toBe(1);
    const bad = await run(
      "train",
      "--data",
      join(root, "shards"),
      "--out",
      join(root, "x"),
      "--backend",
      "wasm",
    );
    expect(bad.code).toBe(1);
    expect(bad.err.join("\n")).toMatch(
      /^error \[INVALID_ARGUMENT\]: train needs --tokenizer or --vocab-size/m,
    );
    const missing = await run("info", join(root, "nothing"));
    expect(missing.err.join("\n")).toMatch(/^error \[FILE_NOT_FOUND\]: cannot read/m);
  });
});
