import { spawn } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isLlmError, type LlmError } from "./errors.js";
import type { LogEvent } from "./events.js";
import { acquireRunLock, lockPathFor } from "./run-lock.js";

const children: Array<{ kill: () => boolean }> = [];
afterAll(() => {
  for (const child of children) child.kill();
});

async function lockError(promise: Promise<unknown>): Promise<LlmError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isLlmError(error, "LOCKED")) throw new Error(`expected LOCKED, got ${String(error)}`);
  return error;
}

/** A pid that existed and has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", "0"]);
  await new Promise((r) => child.on("exit", r));
  return child.pid as number;
}

function holderJson(pid: number, host = hostname()): string {
  return JSON.stringify({
    pid,
    host,
    startedAt: "2026-12-01T00:00:00.000Z",
    command: "pnpm pipeline",
    token: "t",
  });
}

describe("acquireRunLock", () => {
  it("gives one writer per folder: a second taker gets LOCKED naming the holder; release frees it", async () => {
    const root = await mkdtemp(join(tmpdir(), "llm-lock-"));
    const run = join(root, "run");
    const lock = await acquireRunLock(run, { command: "pnpm pipeline" });
    expect(lock.path).toBe(join(root, ".run.lock"));
    const holder = JSON.parse(await readFile(lock.path, "utf8"));
    expect(holder).toMatchObject({ pid: process.pid, host: hostname(), command: "pnpm pipeline" });
    expect(Date.parse(holder.startedAt)).toBeGreaterThan(0);
    const error = await lockError(acquireRunLock(run, { command: "llm-model train" }));
    expect(error.message).toContain(
      `pnpm pipeline (pid ${process.pid} on ${hostname()}, since ${holder.startedAt})`,
    );
    expect(error.input).toBe(lock.path);
    await lock.release();
    await lock.release();
    const again = await acquireRunLock(run);
    await again.release();
  });

  it("covers the folders inside and above: a CLI in runs/x/base and the pipeline in runs/x exclude each other", async () => {
    const root = await mkdtemp(join(tmpdir(), "llm-lock-"));
    const pipeline = await acquireRunLock(join(root, "x"), { command: "pipeline" });
    const inside = await lockError(acquireRunLock(join(root, "x", "base"), { command: "llm-model train" }));
    expect(inside.message).toContain(`${join(root, "x")} is being written by pipeline (pid`);
    await pipeline.release();
    const cli = await acquireRunLock(join(root, "x", "base"), { command: "llm-model train" });
    const above = await lockError(acquireRunLock(join(root, "x"), { command: "pipeline" }));
    expect(above.message).toContain(`${join(root, "x", "base")} is being written by llm-model train (pid`);
    await cli.release();
  });

  it("reclaims a stale lock of a dead process with a warning", async () => {
    const root = await mkdtemp(join(tmpdir(), "llm-lock-"));
    const run = join(root, "run");
    const pid = await deadPid();
    await writeFile(lockPathFor(run), holderJson(pid));
    const logs: LogEvent[] = [];
    const lock = await acquireRunLock(run, { listeners: { onLog: (e) => logs.push(e) } });
    expect(JSON.parse(await readFile(lock.path, "utf8")).pid).toBe(process.pid);
    expect(logs).toEqual([
      expect.objectContaining({
        level: "warn",
        message: expect.stringContaining(`reclaimed the stale lock`),
      }),
    ]);
    expect(logs[0]?.message).toContain(`pid ${pid}`);
    await lock.release();
  });

  it("refuses while another live process holds it, and treats other hosts' locks as live", async () => {
    const root = await mkdtemp(join(tmpdir(), "llm-lock-"));
    const sleeper = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"]);
    children.push(sleeper);
    await writeFile(lockPathFor(join(root, "a")), holderJson(sleeper.pid as number));
    const live = await lockError(acquireRunLock(join(root, "a")));
    expect(live.message).toContain(`pid ${sleeper.pid}`);
    expect(live.hint).toContain(`kill ${sleeper.pid}`);
    sleeper.kill("SIGKILL");
    await new Promise((r) => sleeper.on("exit", r));
    const reclaimed = await acquireRunLock(join(root, "a"));
    await reclaimed.release();
    await writeFile(lockPathFor(join(root, "b")), holderJson(1, "another-host"));
    const remote = await lockError(acquireRunLock(join(root, "b")));
    expect(remote.hint).toContain(`delete ${lockPathFor(join(root, "b"))}`);
  });
});
