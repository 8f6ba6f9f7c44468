/**
 * acquireRunLock: one writer per folder (a run folder, a checkpoint folder). The lock is a file
 * beside the folder, `<parent>/.<name>.lock`, created with O_EXCL and holding the holder's pid,
 * host, start time and command, so it survives the folder being replaced by an atomic rename
 * (checkpoints) or emptied (a stage cleared). A lock covers the folder and everything under it:
 * taking one fails while a live lock is held on the folder, on any folder above it, or on a
 * folder directly inside it (a package CLI writing `runs/x/base` while the pipeline writes
 * `runs/x`, or the reverse). A lock whose holder is a dead process on this host is stale: it is
 * reclaimed with an `onLog` warning. A live one is `LlmError("LOCKED")` naming the holder.
 * Reference: the pid files of daemons (`flock`-free, so it works on network file systems).
 * Leaves out: liveness of holders on other hosts (their locks are treated as live; the hint
 * says how to remove one) and pid reuse by an unrelated process (treated as live).
 */
import { randomBytes } from "node:crypto";
import { mkdir, open, readdir, readFile, rm } from "node:fs/promises";
import { hostname } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { LlmError } from "./errors.js";
import type { Listeners } from "./events.js";

/** What a lock file holds. */
export interface RunLockHolder {
  pid: number;
  host: string;
  /** ISO time the lock was taken. */
  startedAt: string;
  /** What holds it, e.g. "pipeline" or "llm-model train". */
  command: string;
  /** Random id of this acquisition (so release removes only its own file). */
  token: string;
}

export interface RunLock {
  /** The locked folder (absolute). */
  folder: string;
  /** The lock file. */
  path: string;
  holder: RunLockHolder;
  /** Removes the lock file if it is still ours. Safe to call more than once. */
  release(): Promise<void>;
}

export interface RunLockOptions {
  /** Shown to whoever finds the folder locked. Default "a run". */
  command?: string;
  /** Receives the warning when a stale lock is reclaimed. */
  listeners?: Listeners;
}

/** The lock file of `folder`: `<parent>/.<name>.lock`. */
export function lockPathFor(folder: string): string {
  const absolute = resolve(folder);
  return join(dirname(absolute), `.${basename(absolute)}.lock`);
}

/** The folder a lock file belongs to (the inverse of lockPathFor). */
function folderOfLock(path: string): string {
  return join(dirname(path), basename(path).slice(1, -".lock".length));
}

/** Whether the process `pid` exists on this host. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function readHolder(path: string): Promise<RunLockHolder | undefined> {
  try {
    const holder = JSON.parse(await readFile(path, "utf8")) as RunLockHolder;
    return typeof holder.pid === "number" ? holder : undefined;
  } catch {
    return undefined; // gone, or being written right now
  }
}

function isLive(holder: RunLockHolder): boolean {
  return holder.host !== hostname() || processAlive(holder.pid);
}

function lockedError(folder: string, path: string, holder: RunLockHolder): LlmError {
  return new LlmError(
    "LOCKED",
    `${folder} is being written by ${holder.command} (pid ${holder.pid} on ${holder.host}, since ${holder.startedAt}).`,
    {
      input: path,
      hint:
        holder.host === hostname()
          ? `Wait for it to finish or stop it (kill ${holder.pid}), or use another folder.`
          : `If that process is gone, delete ${path}; otherwise use another folder.`,
    },
  );
}

/** Live locks that cover `folder`: its own, its ancestors', and those of folders directly inside it. */
async function coveringLocks(folder: string): Promise<Array<[string, RunLockHolder]>> {
  const paths: string[] = [];
  for (let f = folder; dirname(f) !== f; f = dirname(f)) paths.push(lockPathFor(f));
  try {
    for (const entry of await readdir(folder)) {
      if (entry.startsWith(".") && entry.endsWith(".lock")) paths.push(join(folder, entry));
    }
  } catch {
    // the folder does not exist yet
  }
  const found: Array<[string, RunLockHolder]> = [];
  for (const path of paths) {
    const holder = await readHolder(path);
    if (holder !== undefined) found.push([path, holder]);
  }
  return found;
}

/** Takes the lock on `folder` (which need not exist yet; its parent is created). */
export async function acquireRunLock(folder: string, options: RunLockOptions = {}): Promise<RunLock> {
  const absolute = resolve(folder);
  const path = lockPathFor(absolute);
  const holder: RunLockHolder = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    command: options.command ?? "a run",
    token: randomBytes(8).toString("hex"),
  };
  await mkdir(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 5; attempt++) {
    for (const [other, found] of await coveringLocks(absolute)) {
      if (isLive(found)) throw lockedError(folderOfLock(other), other, found);
      if (other !== path) {
        await reclaim(other, found, options);
      }
    }
    try {
      const handle = await open(path, "wx");
      try {
        await handle.writeFile(`${JSON.stringify(holder, null, 2)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      let released = false;
      return {
        folder: absolute,
        path,
        holder,
        release: async () => {
          if (released) return;
          released = true;
          const current = await readHolder(path);
          if (current?.token === holder.token) await rm(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const found = await readHolder(path);
      if (found === undefined) {
        await new Promise((r) => setTimeout(r, 20)); // being written by another taker
        continue;
      }
      if (isLive(found)) throw lockedError(absolute, path, found);
      await reclaim(path, found, options);
    }
  }
  throw new LlmError("LOCKED", `Could not take the lock ${path}: other processes keep taking it.`, {
    input: path,
    hint: "Another run is starting on the same folder; wait for it or use another folder.",
  });
}

async function reclaim(path: string, holder: RunLockHolder, options: RunLockOptions): Promise<void> {
  // Only remove the file if it still names the dead holder (another taker may have replaced it).
  const again = await readHolder(path);
  if (again?.token !== holder.token) return;
  await rm(path, { force: true });
  options.listeners?.onLog?.({
    stage: "lock",
    level: "warn",
    message: `reclaimed the stale lock ${path} of ${holder.command} (pid ${holder.pid}, started ${holder.startedAt}), which is no longer running`,
  });
}
