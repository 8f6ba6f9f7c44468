/**
 * End to end: runs the `tiny` preset through the CLI (as a user would), checks every stage's
 * artefacts and the report's structure; then kills a second tiny run during pretraining (after its
 * first checkpoint appears), resumes it with the same command, and checks that it ends on the same
 * base checkpoint as the uninterrupted run.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PROBE_NAMES } from "@llm/probes";
import { afterAll, describe, expect, it } from "vitest";
import { tiny } from "./presets/tiny.js";
import { STAGE_NAMES } from "./stage-names.js";

const appDir = resolve(import.meta.dirname, "..");
const cli = join(appDir, "src", "cli.ts");

function startCli(args: string[]): {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
} {
  let output = "";
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=@llm/source", cli, ...args], {
    cwd: appDir,
    env: { ...process.env, CI: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on("data", (chunk) => {
    output += String(chunk);
  });
  const exit = new Promise<number | null>((resolveExit) => child.on("exit", (code) => resolveExit(code)));
  return { child, output: () => output, exit };
}

async function runCli(args: string[]): Promise<{ code: number | null; output: string }> {
  const run = startCli(args);
  const code = await run.exit;
  return { code, output: run.output() };
}

/** A new run folder that starts with the finished data and tokenizer stages of `from` (same preset). */
async function runFolderFrom(from: string, prefix: string): Promise<string> {
  const runDir = await mkdtemp(join(tmpdir(), prefix));
  await cp(join(from, "data"), join(runDir, "data"), { recursive: true });
  await cp(join(from, "tokenizer"), join(runDir, "tokenizer"), { recursive: true });
  await mkdir(join(runDir, "_stages"));
  for (const stage of ["data", "tokenizer"]) {
    await cp(join(from, "_stages", `${stage}.json`), join(runDir, "_stages", `${stage}.json`));
  }
  return runDir;
}

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
});

describe("pipeline e2e (tiny preset)", () => {
  let fullRun = "";

  it("runs every stage and leaves the run folder of architecture.md", async () => {
    fullRun = await mkdtemp(join(tmpdir(), "pipeline-e2e-"));
    const { code, output } = await runCli(["--preset", "tiny", "--out", fullRun, "--backend", "wasm"]);
    expect(code, output).toBe(0);
    for (const stage of STAGE_NAMES) {
      const marker = JSON.parse(await readFile(join(fullRun, "_stages", `${stage}.json`), "utf8"));
      expect(marker.status, stage).toBe("done");
    }
    const config = JSON.parse(await readFile(join(fullRun, "config.json"), "utf8"));
    expect(config.preset.name).toBe("tiny");
    // data
    expect(existsSync(join(fullRun, "data", "stats.json"))).toBe(true);
    expect((await readdir(join(fullRun, "data", "excluded"))).some((f) => f.endsWith(".jsonl"))).toBe(true);
    expect((await readdir(join(fullRun, "data", "shards"))).some((f) => f.endsWith(".bin"))).toBe(true);
    // tokenizer
    const tokenizer = JSON.parse(await readFile(join(fullRun, "tokenizer", "tokenizer.json"), "utf8"));
    expect(tokenizer).toBeTypeOf("object");
    // checkpoints
    for (const dir of ["base", "sft", "sft-answer-first", "rl"]) {
      for (const file of ["config.json", "model.safetensors", "state.json"]) {
        expect(existsSync(join(fullRun, dir, file)), `${dir}/${file}`).toBe(true);
      }
    }
    // probes and report
    const probes = JSON.parse(await readFile(join(fullRun, "probes", "results.json"), "utf8"));
    expect(Array.isArray(probes)).toBe(true);
    // every probe once, in report order, whichever thread (main or the probes worker) ran it
    expect(probes.map((p: { name: string }) => p.name)).toEqual([...PROBE_NAMES]);
    for (const p of probes) expect(typeof p.finding).toBe("string");
    const byName = (name: string) => probes.find((p: { name: string }) => p.name === name);
    // probes.letterItems: more letter words than items per probe
    expect(byName("letter-counting").metrics.tasks).toBe(tiny.probes.letterItems);
    // sft.knowledge { source: "search" }: the knowledge probe asks with the tool, which searches the run's corpus
    expect(byName("knowledge-and-refusal").metrics["sft.searchRate"]).toBeTypeOf("number");
    // probes.natural: the natural-phrasing runs merged into their probes, of the RL model
    expect(byName("letter-counting").metrics["natural.tasks"]).toBe(tiny.probes.natural?.items);
    expect(byName("letter-counting").metrics["natural.rl.toolAccuracy"]).toBeTypeOf("number");
    expect(byName("small-talk").metrics["natural.rl.smallTalkRate"]).toBeTypeOf("number");
    const report = JSON.parse(await readFile(join(fullRun, "report.json"), "utf8"));
    expect(Object.keys(report)).toEqual(
      expect.arrayContaining(["run", "timing", "summaries", "curves", "samples", "probes"]),
    );
    expect(report.curves.base.length).toBeGreaterThan(0);
    expect(report.summaries.data).toBeTypeOf("object");
    expect(report.summaries.tokenizer.bytesPerToken).toBeTypeOf("object");
    expect(report.samples.length).toBeGreaterThan(0);
    const md = await readFile(join(fullRun, "report.md"), "utf8");
    for (const heading of [
      "## Findings",
      "## Template questions and natural phrasing",
      "## Run",
      "## Time per stage",
      "## Dataset",
      "## Dataset: cleaning chain (per filter)",
      "## Dataset: dropped documents by reason",
      "## Tokenizer",
      "## Tokenizer: bytes per token on the validation text",
      "## Training",
      "## Training: base loss",
      "## Training: base bits per byte",
      "## Samples for fixed prompts",
    ]) {
      expect(md).toContain(`${heading}\n`);
    }
    for (const p of probes) expect(md).toContain(`## ${p.title}`);
    const html = await readFile(join(fullRun, "report.html"), "utf8");
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain("<canvas");
    // Self-contained: no external scripts, styles or images.
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|<img[^>]+src="http/);

    // A rerun of the same command has nothing to do.
    const again = await runCli(["--preset", "tiny", "--out", fullRun, "--backend", "wasm"]);
    expect(again.code, again.output).toBe(0);
    expect(again.output).not.toContain("== data");
  }, 240_000);

  it("resumes a run killed during pretraining to the same final base checkpoint", async () => {
    // The data and tokenizer stages are copied from the full run, so the test spends its time in pretraining.
    const runDir = await runFolderFrom(fullRun, "pipeline-resume-");
    // Both runs stop after pretraining (--until) to keep the test short.
    const args = ["--preset", "tiny", "--out", runDir, "--backend", "wasm", "--until", "pretrain"];
    const first = startCli(args);
    children.push(first.child);
    const checkpoint = join(runDir, "base", "state.json");
    while (!existsSync(checkpoint) && first.child.exitCode === null)
      await new Promise((r) => setTimeout(r, 100));
    first.child.kill("SIGKILL");
    await first.exit;
    const state = JSON.parse(await readFile(checkpoint, "utf8"));
    expect(state.step).toBeLessThan(
      JSON.parse(await readFile(join(fullRun, "base", "state.json"), "utf8")).step,
    );
    const marker = JSON.parse(await readFile(join(runDir, "_stages", "pretrain.json"), "utf8"));
    expect(marker.status).toBe("started");

    const resumed = await runCli(args);
    expect(resumed.code, resumed.output).toBe(0);
    expect(resumed.output).toContain("pretrain (resuming)");
    const a = await readFile(join(fullRun, "base", "model.safetensors"));
    const b = await readFile(join(runDir, "base", "model.safetensors"));
    expect(b.equals(a)).toBe(true);
  }, 240_000);

  it("stops after the current step on Ctrl-C (SIGINT) and leaves a checkpoint of that step", async () => {
    const runDir = await runFolderFrom(fullRun, "pipeline-sigint-");
    const run = startCli(["--preset", "tiny", "--out", runDir, "--backend", "wasm", "--until", "pretrain"]);
    children.push(run.child);
    while (!/\[pretrain\] step \d+\/30/.test(run.output()) && run.child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 50));
    }
    run.child.kill("SIGINT");
    const code = await run.exit;
    expect(code, run.output()).toBe(130);
    expect(run.output()).toContain("stopping after the current step");
    const state = JSON.parse(await readFile(join(runDir, "base", "state.json"), "utf8"));
    expect(state.step).toBeGreaterThanOrEqual(1);
    expect(state.step).toBeLessThan(30);
    const marker = JSON.parse(await readFile(join(runDir, "_stages", "pretrain.json"), "utf8"));
    expect(marker.status).toBe("started");
  }, 240_000);
});
