/**
 * watchParent: calls `onOrphaned` once when the command that started this process has died, so
 * a long run does not keep training as an orphan after its launcher was killed (kill -9 of
 * `npx pnpm pipeline` leaves pnpm's node child running, reparented). It watches the parent and,
 * on Linux, every ancestor up to the session leader (the shell), i.e. the npx/pnpm/sh processes
 * of the user's command: when any of them is gone (or the parent pid changes), the command is
 * dead. Worker threads need nothing: they end with their process. Apps call it (packages never
 * touch the process); the timer is unref'd. Reference: prctl(PR_SET_PDEATHSIG), which Node
 * does not expose. Leaves out: ancestors on other platforms (only the parent is watched there).
 */
import { readFileSync } from "node:fs";
import { processAlive } from "./run-lock.js";

export interface WatchParentOptions {
  /** Poll interval in ms. Default 1000. */
  intervalMs?: number;
}

/** Parent pid and session id of `pid` from /proc (Linux), or undefined. */
function procStat(pid: number): { ppid: number; session: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid pgrp session ..."; comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(fields[1]), session: Number(fields[3]) };
  } catch {
    return undefined;
  }
}

/** The pids of this process's launching command: the parent, then ancestors below the session leader. */
export function launcherPids(): number[] {
  const pids = [process.ppid];
  const own = procStat(process.pid);
  if (own === undefined) return pids;
  let pid = process.ppid;
  for (let depth = 0; depth < 16; depth++) {
    const stat = procStat(pid);
    if (stat === undefined || stat.ppid <= 1 || stat.ppid === own.session) break;
    if (pid === own.session) break;
    pid = stat.ppid;
    pids.push(pid);
  }
  return pids.filter((p) => p > 1 && p !== own.session);
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
