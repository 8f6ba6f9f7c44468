/**
 * The `tiny` preset end to end with `--backend webgpu` (lavapipe in CI): pretraining and SFT run
 * on webgpu, labelled with the adapter (software, never "GPU"), RL and probes take wasm, config.json and the report record the adapter, and `--dry-run` prints each stage's
 * backend. Also: a GPU-sized preset on a CPU backend is refused unless --force.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const appDir = resolve(import.meta.dirname, "..");
const cli = join(appDir, "src", "cli.ts");
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

function runCli(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    let output = "";
    const child = spawn(process.execPath, ["--import", "tsx", "--conditions=@llm/source", cli, ...args], {
      cwd: appDir,
      env: { ...process.env, CI: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.on("data", (c) => {
      output += String(c);
    });
    child.stderr.on("data", (c) => {
      output += String(c);
    });
    child.on("exit", (code) => done({ code, output }));
  });
}

describe("pnpm pipeline --backend webgpu", () => {
  it("runs the tiny preset end to end, pretraining on webgpu, and records the adapter", async () => {
    const out = await mkdtemp(join(tmpdir(), "llm-pipeline-webgpu-"));
    dirs.push(out);
    const dry = await runCli([
      "--preset",
      "tiny",
      "--backend",
      "webgpu",
      "--out",
      out,
      "--dry-run",
      "--plain",
    ]);
    expect(dry.code).toBe(0);
    expect(dry.output).toMatch(/ {2}pretrain, sft {2}webgpu on (GPU|software adapter .*not a GPU)/);
    expect(dry.output).toMatch(/rl, probes {2}wasm \(they read tensors synchronously\)/);

    const run = await runCli(["--preset", "tiny", "--backend", "webgpu", "--out", out, "--plain"]);
    expect(run.code, run.output.slice(-3000)).toBe(0);
    const config = JSON.parse(await readFile(join(out, "config.json"), "utf8"));
    expect(config.backendUsed).toBe("webgpu");
    const adapter = config.backends.pretrain.adapter;
    expect(typeof adapter.vendor).toBe("string");
    expect(typeof adapter.software).toBe("boolean");
    expect(config.backends.rlProbes.name).toBe("wasm");
    const steps = (await readFile(join(out, "metrics", "base.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(steps.length).toBeGreaterThan(0);
    expect(steps[0].backend).toBe(adapter.software ? "webgpu-software" : "webgpu");
    expect(steps.at(-1).loss).toBeLessThan(steps[0].loss);
    const sftSteps = (await readFile(join(out, "metrics", "sft.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(sftSteps[0].backend).toBe(steps[0].backend);
    const sft = JSON.parse(await readFile(join(out, "_stages", "sft.json"), "utf8"));
    expect(sft.summary.parallel).toBe(false); // the twins one after the other on webgpu
    const report = await readFile(join(out, "report.md"), "utf8");
    expect(report).toContain(adapter.software ? "not a GPU" : "webgpu on GPU");
    const base = JSON.parse(await readFile(join(out, "_stages", "pretrain.json"), "utf8"));
    expect(base.summary.adapter).toEqual(adapter);
  });

  it("refuses a GPU-sized preset on a CPU backend unless --force", async () => {
    const out = await mkdtemp(join(tmpdir(), "llm-pipeline-gpu-preset-"));
    dirs.push(out);
    const refused = await runCli(["--preset", "medium", "--backend", "wasm", "--out", out, "--plain"]);
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(
      /error \[UNSUPPORTED_BACKEND\]: preset medium is sized for a GPU.*expected ~\d+ days/,
    );
    expect(refused.output).toMatch(/--force/);
    const dry = await runCli([
      "--preset",
      "large",
      "--backend",
      "wasm",
      "--out",
      out,
      "--dry-run",
      "--plain",
    ]);
    expect(dry.code).toBe(0);
    expect(dry.output).toMatch(/warning: preset large is sized for a GPU.*\(refused without --force\)/);
  });
});
