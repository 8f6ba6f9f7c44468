import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GPT, initBackend, saveCheckpoint } from "@llm/model";
import { ByteTokenizer } from "@llm/sft/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "engine-cli-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function io(lines: string[] = []) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      out: (t: string) => out.push(t),
      err: (t: string) => err.push(t),
      color: false,
      readLine: async () => lines.shift(),
    },
  };
}

describe("llm-engine", () => {
  it("prints usage and fails on unknown commands and flags", async () => {
    const a = io();
    expect(await runCli(["--help"], a.io)).toBe(0);
    expect(a.out.join("\n")).toContain("llm-engine <command>");
    const b = io();
    expect(await runCli(["nope"], b.io)).toBe(1);
    const c = io();
    expect(await runCli(["run", "1+1", "--serch-run", dir], c.io)).toBe(1);
    expect(c.err.join("\n")).toContain("--serch-run");
  });

  it("chats over a checkpoint", async () => {
    await initBackend("wasm");
    const tok = new ByteTokenizer();
    const model = new GPT(
      { vocabSize: tok.vocabSize, seqLen: 64, nLayer: 1, nEmbd: 32, nHead: 2 },
      { seed: 1 },
    );
    await saveCheckpoint(join(dir, "sft"), { model });
    model.dispose();
    const b = io(["hi"]);
    expect(
      await runCli(
        ["chat", join(dir, "sft"), "--tokenizer", "bytes", "--max-tokens", "5", "--backend", "wasm"],
        b.io,
      ),
    ).toBe(0);
    expect(b.out.some((l) => l.startsWith("assistant> "))).toBe(true);
  });

  it("runs a snippet in the sandbox, with search() over a run's documents", async () => {
    const a = io();
    expect(await runCli(["run", '"strawberry".split("r").length - 1'], a.io)).toBe(0);
    expect(a.out).toEqual(["3"]);
    const run = join(dir, "run");
    await mkdir(join(run, "data"), { recursive: true });
    await writeFile(join(run, "data", "train.jsonl"), '{"text":"Wilnar is a baker from Venmi."}\n');
    const b = io();
    expect(await runCli(["run", 'search("Wilnar")', "--search-run", run], b.io)).toBe(0);
    expect(JSON.parse(b.out[0] ?? "")).toEqual(["Wilnar is a baker from Venmi."]);
    const c = io();
    expect(await runCli(["run", "while (true) {}", "--timeout-ms", "100"], c.io)).toBe(1);
    expect(c.err.join("")).toMatch(/^timeout: /);
  });
});
