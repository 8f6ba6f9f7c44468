/**
 * runCli: the `llm-data` command line as a function (cli.ts calls it with process.argv and
 * process.env), so tests run it in-process. Commands:
 *   corpus    write a named offline corpus (moby-dick, sotu, spam-assassin) to JSONL
 *   clean     run the cleaning chain over input files (all ranks locally with --workers, or one
 *             rank from --rank/--world-size or the Slurm/Kubernetes environment)
 *   dedup     the MinHash steps (signature, cluster, filter) over a cleaned run folder
 *   tokenize  turn a run's kept documents (or JSONL/text files) into token shards
 *   stats     merge the ranks' stats into stats.json and print the summary table
 *   inspect   show kept and dropped documents with their reasons
 * Flags are parsed strictly (@llm/core's parseCliOptions: a misspelt flag is an error listing the
 * valid ones). Reference: datatrove's CLI and executors. Leaves out: submitting jobs to a scheduler.
 */
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  acquireRunLock,
  type CliIo as CoreCliIo,
  isLlmError,
  LlmError,
  type ParsedCliOptions,
  parseCliOptions,
  type RunLock,
  streamJsonl,
  type Tokenizer,
  writeFileAtomic,
} from "@llm/core";
import { resolveRank } from "./cli-args.js";
import type { CleaningChainOptions } from "./filters/default-cleaning-chain.js";
import { formatSummaryTable } from "./run/cleaning-stats.js";
import type { ExclusionRecord } from "./run/run-cleaning.js";
import { runLocal } from "./run/run-local.js";
import {
  mergeRunStats,
  readRunOutput,
  runCleanShard,
  runClusterStep,
  runDedupShard,
  runSignatureShard,
  type ShardedRunOptions,
} from "./run/sharded-run.js";
import { tokenizeDocuments } from "./shards/tokenize-documents.js";
import { CORPUS_NAMES, type CorpusName, readCorpus } from "./sources/offline-corpora.js";
import { readDocuments } from "./sources/read-documents.js";
import { ByteTokenizer } from "./testing/byte-tokenizer.js";

const USAGE = `usage: llm-data <command> [options]
  corpus    --name moby-dick|sotu|spam-assassin --out FILE.jsonl [--limit N]
  clean     --input PATH... --out DIR [--workers N | --rank R --world-size N] [--no-dedup]
            [--config chain.json] [--text-field text] [--id-field id] [--fail-fast]
            (rank also from SLURM_ARRAY_TASK_ID/_COUNT or JOB_COMPLETION_INDEX + --world-size)
  dedup     --out DIR --step signature|cluster|filter [--rank R --world-size N]
  tokenize  --out DIR --shards DIR [--tokenizer bytes|PATH|NAME] [--shard-tokens N] [--input PATH...]
  stats     --out DIR
  inspect   --out DIR [--kept | --dropped] [--filter NAME] [--rule RULE] [--limit N]`;

const OPTIONS = {
  input: { type: "string", multiple: true },
  out: { type: "string" },
  name: { type: "string" },
  limit: { type: "string" },
  workers: { type: "string" },
  rank: { type: "string" },
  "world-size": { type: "string" },
  "no-dedup": { type: "boolean" },
  config: { type: "string" },
  "text-field": { type: "string" },
  "id-field": { type: "string" },
  "fail-fast": { type: "boolean" },
  step: { type: "string" },
  shards: { type: "string" },
  tokenizer: { type: "string" },
  "shard-tokens": { type: "string" },
  kept: { type: "boolean" },
  dropped: { type: "boolean" },
  filter: { type: "string" },
  rule: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

type Values = ParsedCliOptions<typeof OPTIONS>["values"];

/** Where the CLI writes, and the scheduler environment it reads a rank from. */
export interface CliIo extends CoreCliIo {
  /** SLURM_ARRAY_TASK_ID/_MIN/_COUNT, JOB_COMPLETION_INDEX (the bin passes process.env). */
  env: Readonly<Record<string, string | undefined>>;
}

function need(value: string | undefined, flag: string): string {
  if (!value) throw new LlmError("INVALID_ARGUMENT", `Missing ${flag}`, { input: flag, hint: USAGE });
  return value;
}

async function shardedOptions(values: Values): Promise<ShardedRunOptions> {
  const chain = values.config
    ? (JSON.parse(await readFile(values.config, "utf8")) as CleaningChainOptions)
    : undefined;
  return {
    inputs: values.input ?? [],
    outDir: need(values.out, "--out"),
    ...(chain ? { chain } : {}),
    source: {
      ...(values["text-field"] ? { textField: values["text-field"] } : {}),
      ...(values["id-field"] ? { idField: values["id-field"] } : {}),
    },
    failFast: values["fail-fast"] ?? false,
  };
}

async function worldSizeOf(outDir: string): Promise<number> {
  const dir = join(outDir, "_done");
  const names = existsSync(dir) ? await readdir(dir) : [];
  const first = names[0];
  if (!first)
    throw new LlmError("RUN_ERROR", "No finished clean rank in this folder", {
      input: dir,
      hint: "Run llm-data clean first.",
    });
  return (JSON.parse(await readFile(join(dir, first), "utf8")) as { worldSize: number }).worldSize;
}

async function loadTokenizer(spec: string): Promise<Tokenizer> {
  if (spec === "bytes") return new ByteTokenizer();
  const name = "@llm/tokenizer";
  try {
    const mod = (await import(name)) as { loadTokenizer: (s: string) => Promise<Tokenizer> };
    return await mod.loadTokenizer(spec);
  } catch (error) {
    if (isLlmError(error)) throw error;
    throw new LlmError("INVALID_ARGUMENT", `Cannot load tokenizer "${spec}"`, {
      input: spec,
      hint: "Install @llm/tokenizer to load tokenizer files, or use --tokenizer bytes.",
      cause: error,
    });
  }
}

/** Runs one command line (without the program name); resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  // One writer per run folder (a rank locks only its own part of it, so ranks run side by side).
  let lock: RunLock | undefined;
  try {
    const { values, positionals } = parseCliOptions(argv, OPTIONS);
    const lockFolder = async (folder: string, rank?: number): Promise<void> => {
      lock = await acquireRunLock(rank === undefined ? folder : join(folder, `rank-${rank}`), {
        command: `llm-data ${positionals[0]}${rank === undefined ? "" : ` (rank ${rank})`}`,
        listeners: { onLog: (e) => io.err(`[data] ${e.message}`) },
      });
    };
    await run(values, positionals[0], io, lockFolder);
    return 0;
  } catch (error) {
    io.err(
      isLlmError(error)
        ? `llm-data: ${error.code}: ${error.message}`
        : String((error as Error)?.stack ?? error),
    );
    return 1;
  } finally {
    await lock?.release();
  }
}

async function run(
  values: Values,
  command: string | undefined,
  io: CliIo,
  lockFolder: (folder: string, rank?: number) => Promise<void>,
): Promise<void> {
  if (!command || values.help) {
    io.out(USAGE);
    return;
  }
  switch (command) {
    case "corpus": {
      const name = need(values.name, "--name") as CorpusName;
      if (!CORPUS_NAMES.includes(name))
        throw new LlmError("INVALID_ARGUMENT", `Unknown corpus ${name}`, { input: name, hint: USAGE });
      const lines: string[] = [];
      for await (const d of readCorpus(name, values.limit ? { limit: Number(values.limit) } : {}))
        lines.push(`${JSON.stringify(d)}\n`);
      await writeFileAtomic(need(values.out, "--out"), lines.join(""));
      io.out(`wrote ${lines.length} documents to ${values.out}`);
      return;
    }
    case "clean": {
      const options = await shardedOptions(values);
      if (options.inputs.length === 0)
        throw new LlmError("INVALID_ARGUMENT", "Missing --input", { input: "--input", hint: USAGE });
      const spec = resolveRank({ rank: values.rank, worldSize: values["world-size"] }, io.env);
      await lockFolder(options.outDir, spec?.rank);
      if (spec) {
        const result = await runCleanShard(spec.rank, spec.worldSize, options);
        io.out(
          `rank ${spec.rank}/${spec.worldSize} (${spec.from}): ${result.skipped ? "already done, skipped" : `cleaned ${result.files} files`}`,
        );
        return;
      }
      const result = await runLocal({
        ...options,
        workers: values.workers ? Number(values.workers) : 1,
        skipDedup: values["no-dedup"] ?? false,
        listeners: { onProgress: (e) => io.err(`[data] ${e.message ?? ""}`) },
      });
      io.out(formatSummaryTable(result.stats));
      return;
    }
    case "dedup": {
      const options = await shardedOptions(values);
      const step = need(values.step, "--step");
      const spec = resolveRank({ rank: values.rank, worldSize: values["world-size"] }, io.env);
      await lockFolder(options.outDir, step === "cluster" ? undefined : spec?.rank);
      const worldSize = spec?.worldSize ?? (await worldSizeOf(options.outDir));
      const ranks = spec ? [spec.rank] : Array.from({ length: worldSize }, (_, i) => i);
      if (step === "cluster") {
        const r = await runClusterStep(worldSize, options);
        io.out(`cluster: ${r.removed} near-duplicates${r.skipped ? " (already done)" : ""}`);
      } else if (step === "signature" || step === "filter") {
        for (const rank of ranks) {
          const r = await (step === "signature" ? runSignatureShard : runDedupShard)(
            rank,
            worldSize,
            options,
          );
          io.out(`${step} rank ${rank}/${worldSize}: ${r.skipped ? "already done, skipped" : "done"}`);
        }
      } else
        throw new LlmError("INVALID_ARGUMENT", `Unknown dedup step ${step}`, {
          input: "--step",
          hint: USAGE,
        });
      return;
    }
    case "tokenize": {
      const tokenizer = await loadTokenizer(values.tokenizer ?? "bytes");
      const shards = need(values.shards, "--shards");
      await lockFolder(shards);
      async function* documents() {
        if (values.input && values.input.length > 0) {
          for (const path of values.input) yield* readDocuments(path);
        } else {
          const outDir = need(values.out, "--out");
          const folder = existsSync(join(outDir, "final")) ? "final" : "kept";
          yield* readRunOutput(outDir, await worldSizeOf(outDir), folder);
        }
      }
      const result = await tokenizeDocuments(documents(), tokenizer, {
        outDir: shards,
        ...(values["shard-tokens"] ? { shardTokens: Number(values["shard-tokens"]) } : {}),
      });
      io.out(
        `tokenized ${result.documents} documents, ${result.tokens} tokens (${(result.bytes / Math.max(1, result.tokens)).toFixed(2)} bytes/token) into ${result.shards.length} shards in ${shards}`,
      );
      return;
    }
    case "stats": {
      io.out(formatSummaryTable(await mergeRunStats(need(values.out, "--out"))));
      return;
    }
    case "inspect": {
      const outDir = need(values.out, "--out");
      const limit = values.limit ? Number(values.limit) : 10;
      let shown = 0;
      if (!values.kept) {
        const dir = join(outDir, "excluded");
        for (const name of existsSync(dir) ? (await readdir(dir)).sort() : []) {
          for await (const e of streamJsonl<ExclusionRecord>(join(dir, name))) {
            if (shown >= limit) break;
            if ((values.filter && e.filter !== values.filter) || (values.rule && e.rule !== values.rule))
              continue;
            shown++;
            io.out(
              `DROPPED ${e.id}  ${e.filter}/${e.rule}  value=${String(e.value ?? "")} threshold=${String(e.threshold ?? "")}`,
            );
            if (e.excerpt) io.out(`  ${e.excerpt.replace(/\s+/g, " ").slice(0, 160)}`);
          }
        }
      }
      if (!values.dropped) {
        const folder = existsSync(join(outDir, "final")) ? "final" : "kept";
        let keptShown = 0;
        for await (const d of readRunOutput(outDir, await worldSizeOf(outDir), folder)) {
          if (keptShown >= limit) break;
          keptShown++;
          io.out(`KEPT ${d.id}  ${d.text.length} chars`);
          io.out(`  ${d.text.replace(/\s+/g, " ").slice(0, 160)}`);
        }
      }
      return;
    }
    default:
      throw new LlmError("INVALID_ARGUMENT", `Unknown command ${command}`, { input: command, hint: USAGE });
  }
}
