/**
 * watchParent: calls `onOrphaned` once when the command that started this process has died, so
 * a long run does not keep training as an orphan after its launcher was killed (kill -9 of
 * `npx pnpm pipeline` leaves pnpm's node child running, reparented). It watches the parent and,
 * on Linux, every ancestor that belongs to the launching command (node processes such as npx and
 * pnpm, and the `sh -c` wrappers between them, up to the user's shell or harness): when any of
 * them is gone (or the parent pid changes), the command is dead. Worker threads need nothing: they end with their process. Apps call it (packages never
 * touch the process); the timer is unref'd. Reference: prctl(PR_SET_PDEATHSIG), which Node
 * does not expose. Leaves out: ancestors on other platforms (only the parent is watched there).
 */
import { readFileSync, readlinkSync } from "node:fs";
import { basename } from "node:path";
import { processAlive } from "./run-lock.js";

export interface WatchParentOptions {
  /** Poll interval in ms. Default 1000. */
  intervalMs?: number;
}

/** Parent pid of `pid` from /proc (Linux), or undefined. */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid ..."; comm may hold spaces and parentheses.
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return undefined;
  }
}

/**
 * Whether `pid` is part of a launching command: a node process (npx, pnpm, npm, tsx) or a
 * `sh -c` wrapper they start. A user's shell, a terminal, sshd or a test harness is not.
 */
function isLauncher(pid: number): boolean {
  try {
    // The executable, not argv[0]: npx and pnpm rename their process title ("npm exec ...").
    const program = basename(readlinkSync(`/proc/${pid}/exe`));
    if (program === "node" || program === basename(process.execPath)) return true;
    const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    return ["sh", "bash", "dash", "zsh"].includes(program) && argv[1] === "-c";
  } catch {
    return false;
  }
}

/**
 * The pids of this process's launching command, nearest first: the ancestors that are node
 * launchers or their `sh -c` wrappers, up to the first that is not (on Linux; elsewhere none,
 * and only the parent pid is watched).
 */
export function launcherPids(): number[] {
  const pids: number[] = [];
  let pid: number | undefined = process.ppid;
  for (let depth = 0; depth < 32 && pid !== undefined && pid > 1 && isLauncher(pid); depth++) {
    pids.push(pid);
    pid = parentOf(pid);
  }
  return pids;
}

/** Starts watching; returns a function that stops it. */
export function watchParent(onOrphaned: () => void, options: WatchParentOptions = {}): () => void {
  const parent = process.ppid;
  const launchers = launcherPids();
  let fired = false;
  const timer = setInterval(() => {
    if (fired) return;
    if (process.ppid !== parent || launchers.some((pid) => !processAlive(pid))) {
      fired = true;
      clearInterval(timer);
      onOrphaned();
    }
  }, options.intervalMs ?? 1000);
  timer.unref();
  return () => clearInterval(timer);
}
