/**
 * `llm-model` with `--backend webgpu` (lavapipe in CI): train from shards, resume, sample and
 * eval on webgpu, with the same losses and samples as the same commands on wasm.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openShardWriter } from "@llm/data";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../run-cli.js";
import { patternTokens } from "../test-helpers.js";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "llm-model-cli-webgpu-"));
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

const loss = (line: string | undefined) => Number(/loss ([\d.]+)/.exec(line ?? "")?.[1]);

async function session(backend: "wasm" | "webgpu") {
  const ckpt = join(root, `ckpt-${backend}`);
  const common = ["--data", join(root, "shards"), "--out", ckpt, "--vocab-size", "64", "--backend", backend];
  const shape = ["--n-embd", "32", "--n-layer", "2", "--n-head", "2", "--seq-len", "16", "--batch-size", "4"];
  const first = await run("train", ...common, ...shape, "--steps", "3", "--checkpoint-every", "3");
  expect(first.code, first.err.join("\n")).toBe(0);
  const more = await run("train", ...common, ...shape, "--steps", "5", "--resume");
  expect(more.code, more.err.join("\n")).toBe(0);
  const sample = await run(
    "sample",
    ckpt,
    "--ids",
    "1,2,3",
    "--max-tokens",
    "6",
    "--temperature",
    "0",
    "--backend",
    backend,
  );
  expect(sample.code, sample.err.join("\n")).toBe(0);
  const evalRun = await run(
    "eval",
    ckpt,
    "--data",
    join(root, "shards"),
    "--batches",
    "2",
    "--batch-size",
    "2",
    "--backend",
    backend,
  );
  expect(evalRun.code, evalRun.err.join("\n")).toBe(0);
  return {
    log: first.err.join("\n"),
    losses: [...first.out, ...more.out].map(loss),
    sample: sample.out[0],
    eval: JSON.parse(evalRun.out[0] ?? "{}").loss as number,
  };
}

describe("llm-model --backend webgpu", () => {
  it("trains, resumes, samples and evaluates as on wasm", async () => {
    const gpu = await session("webgpu");
    const wasm = await session("wasm");
    expect(gpu.log).toMatch(/tensor backend: webgpu on /);
    expect(gpu.losses).toHaveLength(5);
    for (const [i, l] of gpu.losses.entries())
      expect(Math.abs(l - (wasm.losses[i] as number))).toBeLessThan(2e-3);
    expect(gpu.sample).toBe(wasm.sample);
    expect(Math.abs(gpu.eval - wasm.eval)).toBeLessThan(1e-3);
  });
});
