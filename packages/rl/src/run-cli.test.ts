import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { acquireRunLock } from "@llm/core";
import { GPT, initBackend, saveCheckpoint } from "@llm/model";
import { trainBpe } from "@llm/tokenizer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, USAGE } from "./run-cli.js";

let dir: string;
const lines = { out: [] as string[], err: [] as string[] };
const io = {
  out: (line: string) => lines.out.push(line),
  err: (line: string) => lines.err.push(line),
};

beforeAll(async () => {
  await initBackend("cpu");
  dir = await mkdtemp(join(tmpdir(), "llm-rl-cli-"));
  const tokenizer = await trainBpe("What is 12 + 34? Compute 5 * 6. 7 - 3 = ? #### 42\n".repeat(20), {
    vocabSize: 300,
  });
  await tokenizer.save(join(dir, "tokenizer.json"));
  const model = new GPT(
    { vocabSize: tokenizer.vocabSize, seqLen: 48, nLayer: 1, nHead: 2, nEmbd: 16 },
    { seed: 2 },
  );
  await saveCheckpoint(join(dir, "sft"), { model });
  model.dispose();
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("llm-rl", () => {
  it("prints usage and rejects unknown commands and flags", async () => {
    expect(await runCli(["--help"], io)).toBe(0);
    expect(lines.out.at(-1)).toBe(USAGE);
    expect(await runCli(["fly"], io)).toBe(2);
    expect(await runCli(["eval", "--bogus"], io)).toBe(2);
    expect(await runCli(["eval", "--backend", "cpu", "--tokenizer", join(dir, "tokenizer.json")], io)).toBe(
      1,
    );
    expect(lines.err.at(-1)).toMatch(/--checkpoint is required/);
  });

  it("fails a misspelt flag before loading anything, listing the valid flags", async () => {
    const args = ["train", "--checkpoint", join(dir, "sft"), "--out", join(dir, "typo"), "--stpes", "10"];
    expect(await runCli(args, io)).toBe(2);
    const message = lines.err.at(-1) ?? "";
    expect(message).toContain("error [INVALID_ARGUMENT]: Unknown flag --stpes.");
    expect(message).toMatch(/Valid flags: --help, -h, --checkpoint <value>, .*--steps <value>, .*--resume\./);
  });

  it("train refuses an --out folder another live process is writing (LOCKED)", async () => {
    const out = join(dir, "rl-locked");
    const held = await acquireRunLock(out, { command: "another trainer" });
    const args = ["train", "--backend", "cpu", "--tokenizer", join(dir, "tokenizer.json"), "--out", out];
    expect(await runCli([...args, "--checkpoint", join(dir, "none")], io)).toBe(1);
    expect(lines.err.at(-1)).toMatch(/^error LOCKED: .* another trainer \(pid \d+/);
    await held.release();
  });

  it("eval reports pass@k of a checkpoint on held-out tasks", async () => {
    lines.out.length = 0;
    const args = ["eval", "--checkpoint", join(dir, "sft"), "--tokenizer", join(dir, "tokenizer.json")];
    const flags = [
      "--tasks",
      "arithmetic",
      "--eval-count",
      "3",
      "--n",
      "2",
      "--k",
      "2",
      "--max-new-tokens",
      "4",
    ];
    const code = await runCli([...args, ...flags, "--no-tools", "--backend", "cpu", "--json"], io);
    expect(code).toBe(0);
    const result = JSON.parse(lines.out.at(-1) as string);
    expect(result).toMatchObject({ tasks: 3, samples: 2, k: 2 });
    expect(result.passAtK).toBeGreaterThanOrEqual(result.passAt1);
    expect(result.correct).toHaveLength(3);
  });

  it("train runs GRPO steps with tools on, writes the RL checkpoint, and --resume continues it", async () => {
    lines.out.length = 0;
    const out = join(dir, "rl");
    const train = (steps: number, ...extra: string[]) => {
      const flags = `--tasks arithmetic,decimal-compare --count 4 --eval-count 1 --preset dapo --steps ${steps}
        --prompts-per-step 2 --group-size 2 --max-new-tokens 4 --lr 1e-3 --eval-every 2 --eval-samples 2
        --eval-k 1 --format-weight 0.5 --greedy-per-group 1 --backend cpu`;
      const paths = [
        "--checkpoint",
        join(dir, "sft"),
        "--tokenizer",
        join(dir, "tokenizer.json"),
        "--out",
        out,
      ];
      return runCli(["train", ...paths, ...flags.split(/\s+/), ...extra], io);
    };
    expect(await train(2)).toBe(0);
    expect(lines.out.filter((l) => l.startsWith("step "))).toHaveLength(2);
    expect(lines.out.some((l) => l.includes("held-out pass@1"))).toBe(true);
    const state = JSON.parse(await readFile(join(out, "state.json"), "utf8"));
    expect(state).toMatchObject({
      step: 2,
      stage: "rl",
      grpo: { lossType: "dapo", epsHigh: 0.28, steps: 2, greedyPerGroup: 1 },
    });
    lines.out.length = 0;
    expect(await train(3, "--resume", "--no-tools")).toBe(0);
    expect(lines.out).toContain(`resuming from ${out} at step 2`);
    expect(lines.out.filter((l) => l.startsWith("step "))).toEqual([expect.stringMatching(/^step 3\/3 /)]);
    expect(JSON.parse(await readFile(join(out, "state.json"), "utf8")).step).toBe(3);
  });
});
