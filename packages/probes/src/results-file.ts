/**
 * readResultsFile / writeResultsFile: probes/results.json, the array of ProbeResults a run's
 * probes produced, read with validation (clear errors for a wrong or broken file) and written
 * atomically. NaN metrics (nothing measured) are written as null and read back as NaN.
 * Reference: the run folder of architecture.md. Leaves out: schema versioning.
 */
import { readFile } from "node:fs/promises";
import type { ProbeResult } from "@llm/core";
import { LlmError, writeFileAtomic } from "@llm/core";

function corrupt(path: string, what: string): LlmError {
  return new LlmError("FILE_CORRUPT", `${path} is not a probes results file: ${what}.`, {
    input: path,
    hint: "Pass the probes/results.json a run (or `llm-probes run --out`) wrote.",
  });
}

/** Checks that `value` is a ProbeResult[] (as JSON), turning null metrics back into NaN. */
export function parseResults(value: unknown, path = "results.json"): ProbeResult[] {
  if (!Array.isArray(value)) throw corrupt(path, "the top level is not an array");
  return value.map((item, i) => {
    const r = item as Partial<ProbeResult> | null;
    if (!r || typeof r !== "object") throw corrupt(path, `entry ${i} is not an object`);
    for (const key of ["name", "title", "finding"] as const) {
      if (typeof r[key] !== "string") throw corrupt(path, `entry ${i} has no string "${key}"`);
    }
    if (!r.metrics || typeof r.metrics !== "object")
      throw corrupt(path, `entry ${i} has no "metrics" object`);
    if (!Array.isArray(r.examples)) throw corrupt(path, `entry ${i} has no "examples" array`);
    const metrics: Record<string, number> = {};
    for (const [k, v] of Object.entries(r.metrics)) {
      if (v !== null && typeof v !== "number")
        throw corrupt(path, `metric ${k} of entry ${i} is not a number`);
      metrics[k] = v === null ? Number.NaN : v;
    }
    return { ...(r as ProbeResult), metrics };
  });
}

export async function readResultsFile(path: string): Promise<ProbeResult[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    throw new LlmError("FILE_NOT_FOUND", "Cannot read the probes results file.", {
      input: path,
      hint: "Check the path; a run keeps it at runs/<name>/probes/results.json.",
      cause,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new LlmError("FILE_CORRUPT", "The probes results file is not valid JSON.", {
      input: path,
      hint: "Re-run the probes to write it again.",
      cause,
    });
  }
  return parseResults(json, path);
}

export async function writeResultsFile(path: string, results: readonly ProbeResult[]): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(results, null, 2)}\n`);
}
