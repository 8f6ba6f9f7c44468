/**
 * chartLibrarySource: the text of Chart.js's UMD bundle, read from node_modules at render time so
 * that the HTML report can inline it and open offline. Chart.js is MIT-licensed; its bundle keeps
 * its licence banner. Reference: https://www.chartjs.org. Leaves out: other charting libraries.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { LlmError } from "@llm/core";

let cached: string | undefined;

export function chartLibrarySource(): string {
  if (cached !== undefined) return cached;
  try {
    const main = createRequire(import.meta.url).resolve("chart.js");
    cached = readFileSync(join(dirname(main), "chart.umd.min.js"), "utf8");
  } catch (cause) {
    throw new LlmError(
      "FILE_NOT_FOUND",
      "Could not read Chart.js's UMD bundle to inline in the HTML report.",
      {
        input: "chart.js/dist/chart.umd.min.js",
        hint: "Install @llm/probes with its dependencies (chart.js 4).",
        cause,
      },
    );
  }
  return cached;
}
