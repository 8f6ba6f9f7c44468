import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { acquireRunLock, lockPathFor } from "@llm/core";
import { describe, expect, it } from "vitest";
import { applyOverrides } from "./cli-args.js";
import { getPreset } from "./presets/index.js";
import { type RunPipelineOptions, runPipeline, type StageRunner } from "./run-pipeline.js";
import { STAGE_NAMES, type StageName } from "./stage-names.js";

/** Stages that record their runs in a file and honour the abort signal (one "step" each). */
function recordingStages(log: string[], abortAt?: { stage: StageName; controller: AbortController }) {
  return Object.fromEntries(
    STAGE_NAMES.map((stage): [StageName, StageRunner] => [
      stage,
      async (context) => {
        log.push(`${stage}:${context.action}`);
        await writeFile(context.run.path(`${stage}.out`), context.hash);
        if (abortAt?.stage === stage) abortAt.controller.abort();
        return { wrote: `${stage}.out` };
      },
    ]),
  ) as Record<StageName, StageRunner>;
}

async function tempRun(): Promise<string> {
  return mkdtemp(join(tmpdir(), "pipeline-run-"));
}

describe("runPipeline", () => {
  it("runs every stage once, then skips finished stages on a rerun", async () => {
    const runDir = await tempRun();
    const log: string[] = [];
    const options: RunPipelineOptions = {
      config: getPreset("tiny"),
      runDir,
      backend: "cpu",
      stages: recordingStages(log),
    };
    await runPipeline(options);
    expect(log).toEqual(STAGE_NAMES.map((s) => `${s}:fresh`));
    const config = JSON.parse(await readFile(join(runDir, "config.json"), "utf8"));
    expect(config.preset.name).toBe("tiny");
    expect(Object.keys(config.stageHashes)).toEqual([...STAGE_NAMES]);
    const marker = JSON.parse(await readFile(join(runDir, "_stages", "rl.json"), "utf8"));
    expect(marker).toMatchObject({ stage: "rl", status: "done", summary: { wrote: "rl.out" } });
    log.length = 0;
    await runPipeline(options);
    expect(log).toEqual([]);
  });

  it("redoes only downstream stages after a preset change", async () => {
    const runDir = await tempRun();
    const log: string[] = [];
    const config = getPreset("tiny");
    await runPipeline({ config, runDir, backend: "cpu", stages: recordingStages(log) });
    log.length = 0;
    await runPipeline({
      config: applyOverrides(config, ["rl.steps=5"]),
      runDir,
      backend: "cpu",
      stages: recordingStages(log),
    });
    expect(log).toEqual(["rl:fresh", "probes:fresh", "report:fresh"]);
  });

  it("stops on abort without marking the stage done, and continues it on the next run", async () => {
    const runDir = await tempRun();
    const log: string[] = [];
    const controller = new AbortController();
    const config = getPreset("tiny");
    await expect(
      runPipeline({
        config,
        runDir,
        backend: "cpu",
        stages: recordingStages(log, { stage: "pretrain", controller }),
        signal: controller.signal,
      }),
    ).rejects.toMatchObject({ code: "ABORTED" });
    expect(log).toEqual(["data:fresh", "tokenizer:fresh", "pretrain:fresh"]);
    const marker = JSON.parse(await readFile(join(runDir, "_stages", "pretrain.json"), "utf8"));
    expect(marker.status).toBe("started");
    log.length = 0;
    await runPipeline({ config, runDir, backend: "cpu", stages: recordingStages(log) });
    expect(log).toEqual(["pretrain:continue", "sft:fresh", "rl:fresh", "probes:fresh", "report:fresh"]);
  });

  it("records a failing stage as started and rethrows its error", async () => {
    const runDir = await tempRun();
    const stages = recordingStages([]);
    stages.sft = async () => {
      throw new Error("boom");
    };
    await expect(runPipeline({ config: getPreset("tiny"), runDir, backend: "cpu", stages })).rejects.toThrow(
      "boom",
    );
    const marker = JSON.parse(await readFile(join(runDir, "_stages", "sft.json"), "utf8"));
    expect(marker.status).toBe("started");
  });

  it("takes one lock on the run folder: a second pipeline or a CLI inside it is LOCKED; a dead holder's lock is reclaimed", async () => {
    const runDir = await tempRun();
    const stages = recordingStages([]);
    let release = (): void => {};
    let entered = (): void => {};
    const inside = new Promise<void>((r) => {
      entered = r;
    });
    stages.pretrain = async () => {
      entered();
      await new Promise<void>((r) => {
        release = r;
      });
      return {};
    };
    const first = runPipeline({ config: getPreset("tiny"), runDir, backend: "cpu", stages });
    await inside;
    const second = runPipeline({
      config: getPreset("tiny"),
      runDir,
      backend: "cpu",
      stages: recordingStages([]),
    });
    await expect(second).rejects.toMatchObject({ code: "LOCKED" });
    await expect(second).rejects.toThrow(/pnpm pipeline \(pid \d+/);
    await expect(acquireRunLock(join(runDir, "base"), { command: "llm-model train" })).rejects.toMatchObject({
      code: "LOCKED",
    });
    release();
    await first;
    expect(existsSync(lockPathFor(runDir))).toBe(false);

    const dead = spawnSync(process.execPath, ["-e", "0"]).pid;
    await writeFile(
      lockPathFor(runDir),
      JSON.stringify({
        pid: dead,
        host: hostname(),
        startedAt: "2026-12-01T00:00:00Z",
        command: "pnpm pipeline",
      }),
    );
    const logs: string[] = [];
    await runPipeline({
      config: getPreset("tiny"),
      runDir,
      backend: "cpu",
      stages: recordingStages([]),
      listeners: { onLog: (e) => logs.push(e.message) },
    });
    expect(logs.join("\n")).toMatch(new RegExp(`reclaimed the stale lock .* \\(pid ${dead},`));
  });
});
