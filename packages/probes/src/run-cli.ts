/**
 * runCli: the `llm-probes` command. `run <runDir>` loads a pipeline run's models and runs all or
 * named probes, printing the findings and optionally writing results.json, report.md and
 * report.html; `evaluate <runDir>` measures a checkpoint's copying, fact recall and name
 * familiarity (./evaluations); `render <results.json>` turns saved results into markdown/HTML
 * without loading any model; `list` names the probes and their claims. Arguments come in as an array and output goes
 * through `io`, so the command is testable without a process. Reference: nanochat's scripts.
 * Leaves out: running probes on several runs at once.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { ProbeResult, RunCheckpoint } from "@llm/core";
import { type CliFlagSpec, type CliIo as CoreCliIo, isLlmError, LlmError, parseCliFlags } from "@llm/core";
import { createProbes, PROBE_NAMES } from "./all-probes.js";
import { formatPercent } from "./format.js";
import { loadProbeContext } from "./load-probe-context.js";
import { renderHtml } from "./report/render-html.js";
import { renderMarkdown } from "./report/render-markdown.js";
import { readResultsFile, writeResultsFile } from "./results-file.js";
import { runProbes } from "./run-probes.js";

export type CliIo = CoreCliIo;

export const USAGE = `llm-probes: measured demonstrations of LLM behaviour on a pipeline run

usage:
  llm-probes run <runDir> [--probes a,b] [--out results.json] [--md report.md] [--html report.html]
                 [--items 24] [--max-tokens 128] [--backend auto] [--no-tools] [--json]
  llm-probes evaluate <runDir> [--stage base] [--batch-size N] [--backend auto] [--json]
  llm-probes render <results.json> [--md report.md] [--html report.html] [--title "..."]
  llm-probes list

probes: ${PROBE_NAMES.join(", ")}`;

interface Parsed {
  positional: string[];
  flags: Map<string, string | true>;
}

/** Every flag llm-probes accepts (strict: any other is an error listing these). */
const FLAGS: CliFlagSpec = {
  backend: "string",
  "batch-size": "string",
  html: "string",
  items: "string",
  "max-tokens": "string",
  md: "string",
  out: "string",
  probes: "string",
  stage: "string",
  title: "string",
  json: "boolean",
  "no-tools": "boolean",
};

function parse(args: readonly string[]): Parsed {
  return parseCliFlags(
    args.map((arg) => (arg === "-h" ? "--help" : arg)),
    FLAGS,
  );
}

function str(p: Parsed, key: string): string | undefined {
  const v = p.flags.get(key);
  return typeof v === "string" ? v : undefined;
}

function int(p: Parsed, key: string): number | undefined {
  const v = str(p, key);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) {
    throw new LlmError("INVALID_ARGUMENT", `--${key} must be a positive integer.`, {
      input: `--${key} ${v}`,
      hint: `e.g. --${key} 24`,
    });
  }
  return n;
}

async function writeOut(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}

async function writeReports(p: Parsed, results: ProbeResult[], title: string, io: CliIo): Promise<void> {
  const meta = { title: str(p, "title") ?? title };
  const md = str(p, "md");
  const html = str(p, "html");
  if (md) {
    await writeOut(md, renderMarkdown(results, meta));
    io.out(`wrote ${md}`);
  }
  if (html) {
    await writeOut(html, renderHtml(results, meta));
    io.out(`wrote ${html}`);
  }
}

function printFindings(results: readonly ProbeResult[], io: CliIo): void {
  for (const r of results) io.out(`${r.name}: ${r.finding}`);
}

async function runCommand(p: Parsed, io: CliIo): Promise<number> {
  const runDir = p.positional[1];
  if (!runDir) throw new LlmError("INVALID_ARGUMENT", "run needs a run folder.", { hint: USAGE });
  const names = str(p, "probes")
    ?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const maxTokens = int(p, "max-tokens");
  const withTokens = maxTokens === undefined ? {} : { maxTokens };
  const probes = createProbes(
    {
      "letter-counting": withTokens,
      "decimal-comparison": withTokens,
      "reasoning-order": withTokens,
      identity: withTokens,
      "knowledge-and-refusal": withTokens,
      "rl-gain": withTokens,
    },
    names,
  );
  const { initBackend } = await import("@llm/model");
  // probes read logits synchronously: not on webgpu
  const backend = await initBackend((str(p, "backend") ?? "auto") as Parameters<typeof initBackend>[0], {
    syncReads: true,
  });
  io.err(`backend: ${JSON.stringify(backend)}`);
  const loaded = await loadProbeContext(runDir, {
    ...(int(p, "items") !== undefined ? { itemsPerProbe: int(p, "items")! } : {}),
    tools: !p.flags.has("no-tools"),
  });
  io.err(`loaded models: ${loaded.models.join(", ")}`);
  try {
    const results = await runProbes(loaded.context, probes, {
      onProgress: (e) => {
        if (e.message && e.message !== "done") io.err(`[${e.done + 1}/${e.total}] ${e.message}`);
      },
    });
    const out = str(p, "out");
    if (out) {
      await writeResultsFile(out, results);
      io.out(`wrote ${out}`);
    }
    await writeReports(p, results, `Probes: ${runDir}`, io);
    if (p.flags.has("json")) io.out(JSON.stringify(results, null, 2));
    else printFindings(results, io);
    return 0;
  } finally {
    await loaded.dispose();
  }
}

async function evaluateCommand(p: Parsed, io: CliIo): Promise<number> {
  const runDir = p.positional[1];
  if (!runDir) throw new LlmError("INVALID_ARGUMENT", "evaluate needs a run folder.", { hint: USAGE });
  const { initBackend } = await import("@llm/model");
  const backend = await initBackend((str(p, "backend") ?? "auto") as Parameters<typeof initBackend>[0], {
    syncReads: true,
  });
  io.err(`backend: ${JSON.stringify(backend)}`);
  const { evaluateRun } = await import("./evaluations/evaluate-run.js");
  const batchSize = int(p, "batch-size");
  const result = await evaluateRun(runDir, {
    ...(str(p, "stage") !== undefined ? { stage: str(p, "stage") as RunCheckpoint } : {}),
    ...(batchSize !== undefined ? { batchSize } : {}),
  });
  if (p.flags.has("json")) {
    io.out(JSON.stringify(result, null, 2));
    return 0;
  }
  const c = result.copyScore;
  io.out(
    `copy score (${result.stage}): first copy ${c.firstCopyLoss.toFixed(3)}, second copy ${c.secondCopyLoss.toFixed(3)} nats/token (${c.passages} passages of ${c.passageTokens} tokens)`,
  );
  if (result.factRecall) {
    const f = result.factRecall;
    io.out(
      `fact recall: ${formatPercent(f.trainRecall)} of ${f.trainEntities} known-train entities, ${formatPercent(f.evalRecall)} of ${f.evalEntities} known-eval`,
    );
  }
  if (result.nameFamiliarity) {
    const n = result.nameFamiliarity;
    io.out(
      `name familiarity: ${n.known.toFixed(2)} for names in the documents, ${n.unknown.toFixed(2)} for names never seen (mean log-prob of a name's later tokens)`,
    );
  }
  return 0;
}

async function renderCommand(p: Parsed, io: CliIo): Promise<number> {
  const file = p.positional[1];
  if (!file) throw new LlmError("INVALID_ARGUMENT", "render needs a results.json file.", { hint: USAGE });
  const results = await readResultsFile(file);
  if (!str(p, "md") && !str(p, "html"))
    io.out(renderMarkdown(results, { title: str(p, "title") ?? `Probes: ${file}` }));
  else await writeReports(p, results, `Probes: ${file}`, io);
  return 0;
}

export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  try {
    const p = parse(args);
    const command = p.positional[0];
    if (p.flags.has("help") || command === undefined || command === "help") {
      io.out(USAGE);
      return command === undefined && !p.flags.has("help") ? 1 : 0;
    }
    if (command === "list") {
      for (const probe of createProbes()) io.out(`${probe.name}: ${probe.claim}`);
      return 0;
    }
    if (command === "run") return await runCommand(p, io);
    if (command === "evaluate") return await evaluateCommand(p, io);
    if (command === "render") return await renderCommand(p, io);
    throw new LlmError("INVALID_ARGUMENT", `Unknown command ${JSON.stringify(command)}.`, {
      input: command,
      hint: USAGE,
    });
  } catch (error) {
    if (isLlmError(error)) {
      io.err(`error [${error.code}]: ${error.message}`);
      return 2;
    }
    throw error;
  }
}
