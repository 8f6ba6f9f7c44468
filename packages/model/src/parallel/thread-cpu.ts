/**
 * threadCpuMs: CPU time of the calling thread (main or worker) in milliseconds, from Linux's
 * /proc/thread-self/schedstat (nanoseconds on a CPU), so that phases of a data-parallel step can
 * be timed without the wait for a core that a shared machine's load adds to wall time.
 * Reference: Linux Documentation/scheduler/sched-stats.rst. Leaves out: other systems (returns
 * undefined there; Node 20 has no per-thread CPU clock of its own).
 */
import { readFileSync } from "node:fs";

let available = true;

/** This thread's CPU milliseconds so far, or undefined where /proc/thread-self is missing. */
export function threadCpuMs(): number | undefined {
  if (!available) return undefined;
  try {
    const text = readFileSync("/proc/thread-self/schedstat", "latin1");
    return Number(text.slice(0, text.indexOf(" "))) / 1e6;
  } catch {
    available = false;
    return undefined;
  }
}
