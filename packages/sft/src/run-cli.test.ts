import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { acquireRunLock } from "@llm/core";
import { GPT, initBackend, saveCheckpoint } from "@llm/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";
import { ByteTokenizer } from "./testing/byte-tokenizer.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sft-cli-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      out: (t: string) => out.push(t),
      err: (t: string) => err.push(t),
      color: false,
    },
  };
}

describe("llm-sft", () => {
  it("prints usage and fails on unknown commands", async () => {
    const a = io();
    expect(await runCli(["--help"], a.io)).toBe(0);
    expect(a.out.join("\n")).toContain("llm-sft <command>");
    const b = io();
    expect(await runCli(["nope"], b.io)).toBe(1);
  });

  it("train refuses an --out folder another live process is writing (LOCKED)", async () => {
    const out = join(dir, "sft-locked");
    const held = await acquireRunLock(out, { command: "another trainer" });
    const a = io();
    expect(
      await runCli(["train", "--base", join(dir, "none"), "--tokenizer", "bytes", "--out", out], a.io),
    ).toBe(1);
    expect(a.err.join("\n")).toMatch(/being written by another trainer \(pid \d+/);
    await held.release();
  });

  it("writes built-in data and renders a conversation with its mask", async () => {
    const file = join(dir, "letters.jsonl");
    const a = io();
    expect(await runCli(["data", "--builtin", "letter-count", "--split", "eval", "--out", file], a.io)).toBe(
      0,
    );
    const lines = (await readFile(file, "utf8")).trim().split("\n");
    expect(lines).toHaveLength(50);
    const b = io();
    expect(await runCli(["render", "--tokenizer", "bytes", "--conversation", file, "--no-color"], b.io)).toBe(
      0,
    );
    expect(b.out[0]).toMatch(
      /^<\|bos\|><\|user_start\|>.*<\|assistant_start\|>\[\[<\|python_start\|>.*<\|python_end\|>\]\]<\|output_start\|>\d+<\|output_end\|>\[\[#### \d+<\|assistant_end\|>\]\]$/,
    );
    const c = io();
    expect(
      await runCli(["render", "--tokenizer", "bytes", "--conversation", join(dir, "missing.json")], c.io),
    ).toBe(1);
    expect(c.err.join("")).toMatch(/Cannot read/);
  });

  it("trains a checkpoint", async () => {
    await initBackend("wasm");
    const tok = new ByteTokenizer();
    const base = new GPT(
      { vocabSize: tok.vocabSize, seqLen: 64, nLayer: 1, nEmbd: 32, nHead: 2 },
      { seed: 1 },
    );
    await saveCheckpoint(join(dir, "base"), { model: base });
    base.dispose();
    const data = join(dir, "data.jsonl");
    await writeFile(
      data,
      `${JSON.stringify({
        messages: [
          { role: "user", content: "hi" },
          { role: "assistant", content: "yo" },
        ],
      })}\n`,
    );
    const a = io();
    const code = await runCli(
      [
        "train",
        "--base",
        join(dir, "base"),
        "--tokenizer",
        "bytes",
        "--out",
        join(dir, "sft"),
        "--data",
        data,
        "--steps",
        "3",
        "--batch-size",
        "2",
        "--backend",
        "wasm",
      ],
      a.io,
    );
    expect(a.err.join("\n")).toContain("step 3/3");
    expect(code).toBe(0);
    expect(a.out.join("")).toContain("after 3 steps");
  });
});
