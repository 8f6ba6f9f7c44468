/**
 * Runs documents through an ordered list of DocumentFilters. Every dropped document (and
 * every input a source could not read) goes to an exclusion JSONL with its reason (filter,
 * rule, measured value, threshold) and an excerpt; per-filter stats go to stats.json. Both
 * files are written to temp names and renamed when the run finishes, so a crash never leaves
 * a half-written file in their place. A filter that throws drops the document with rule
 * "filter_error" (or, with failFast, stops the run with an LlmError).
 * Reference: datatrove's pipeline executor, exclusion writers and stats. Leaves out:
 * checkpointing inside one run (ranks and completion markers give resumability).
 */
import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import {
  type Document,
  type DocumentFilter,
  type ExclusionReason,
  type Listeners,
  LlmError,
  tempPathFor,
  writeJsonAtomic,
} from "@llm/core";
import type { SourceIssue } from "../sources/source-options.js";
import { type CleaningStats, emptyStats, type SummaryRow, summaryRows } from "./cleaning-stats.js";

export interface CleaningOptions {
  /** Where dropped documents are listed (JSONL). Default: not written. */
  exclusionsPath?: string;
  /** Where stats are written (JSON). Default: not written. */
  statsPath?: string;
  /** Where kept documents are written (JSONL of {id, text, metadata}). Default: not written. */
  keptPath?: string;
  /** Called with every kept document, in order. */
  onDocument?: (document: Document) => void | Promise<void>;
  /** Stop with an LlmError when a filter throws. Default false (drop with "filter_error"). */
  failFast?: boolean;
  /** Characters of text kept in each exclusion record. Default 200. */
  excerptChars?: number;
  listeners?: Listeners;
}

export interface ExclusionRecord extends ExclusionReason {
  id: string;
  url?: string;
  excerpt?: string;
}

const encoder = new TextEncoder();

/** A cleaning run: feed it documents, read kept ones, then `finish` to publish the files. */
export class CleaningRun {
  readonly stats: CleaningStats;
  private readonly filters: readonly DocumentFilter[];
  private readonly options: CleaningOptions;
  private readonly exclusions: OpenFile | undefined;
  private readonly kept: OpenFile | undefined;

  constructor(filters: readonly DocumentFilter[], options: CleaningOptions = {}) {
    this.filters = filters;
    this.options = options;
    this.stats = emptyStats(filters.map((f) => f.name));
    this.exclusions = open(options.exclusionsPath);
    this.kept = open(options.keptPath);
  }

  /** Records an input a source skipped (pass this as the source's onIssue). */
  recordIssue = (issue: SourceIssue): void => {
    this.stats.sourceIssues[issue.rule] = (this.stats.sourceIssues[issue.rule] ?? 0) + 1;
    this.writeExclusion({
      id: issue.input,
      filter: `source:${issue.source}`,
      rule: issue.rule,
      value: issue.message,
    });
  };

  private writeExclusion(record: ExclusionRecord): void {
    this.exclusions?.stream.write(`${JSON.stringify(record)}\n`);
  }

  /** Runs one document through the chain; returns the kept (possibly rewritten) document or undefined. */
  async process(document: Document): Promise<Document | undefined> {
    const bytes = encoder.encode(document.text).length;
    this.stats.documentsIn++;
    this.stats.bytesIn += bytes;
    let current = document;
    let currentBytes = bytes;
    for (const [i, filter] of this.filters.entries()) {
      const s = this.stats.filters[i] as CleaningStats["filters"][number];
      s.in++;
      s.bytesIn += currentBytes;
      const t0 = performance.now();
      let decision: Awaited<ReturnType<DocumentFilter["apply"]>>;
      try {
        decision = await filter.apply(current);
      } catch (error) {
        if (this.options.failFast) {
          throw new LlmError("RUN_ERROR", `Filter ${filter.name} failed on document ${current.id}`, {
            input: current.id,
            hint: "Fix the filter or the document, or run without failFast to drop it with rule filter_error.",
            cause: error,
          });
        }
        decision = {
          keep: false,
          reason: { filter: filter.name, rule: "filter_error", value: String(error) },
        };
      }
      s.seconds += (performance.now() - t0) / 1000;
      if (!decision.keep) {
        s.dropped++;
        s.droppedByRule[decision.reason.rule] = (s.droppedByRule[decision.reason.rule] ?? 0) + 1;
        const url = typeof current.metadata.url === "string" ? current.metadata.url : undefined;
        this.writeExclusion({
          id: current.id,
          ...decision.reason,
          ...(url ? { url } : {}),
          excerpt: current.text.slice(0, this.options.excerptChars ?? 200),
        });
        this.progress();
        return undefined;
      }
      if (decision.document.text !== current.text) {
        s.modified++;
        currentBytes = encoder.encode(decision.document.text).length;
      }
      current = decision.document;
      s.kept++;
      s.bytesKept += currentBytes;
    }
    this.stats.documentsKept++;
    this.stats.bytesKept += currentBytes;
    this.kept?.stream.write(
      `${JSON.stringify({ id: current.id, text: current.text, metadata: current.metadata })}\n`,
    );
    await this.options.onDocument?.(current);
    this.progress();
    return current;
  }

  private progress(): void {
    if (this.stats.documentsIn % 500 === 0) {
      this.options.listeners?.onProgress?.({
        stage: "data",
        done: this.stats.documentsIn,
        unit: "documents",
      });
    }
  }

  /** Kept documents of a stream, in order. */
  async *clean(documents: Iterable<Document> | AsyncIterable<Document>): AsyncGenerator<Document> {
    for await (const document of documents) {
      const kept = await this.process(document);
      if (kept) yield kept;
    }
  }

  /** Closes and publishes the exclusion, kept and stats files. */
  async finish(): Promise<CleaningStats> {
    for (const [file, path] of [
      [this.exclusions, this.options.exclusionsPath],
      [this.kept, this.options.keptPath],
    ] as const) {
      if (!file || !path) continue;
      await new Promise<void>((resolve, reject) =>
        file.stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
      );
      if (file.error) {
        await rm(file.temp, { force: true });
        throw new LlmError("RUN_ERROR", `Could not write ${path}: ${file.error.message}`, {
          input: path,
          hint: "Check free disk space and that the output folder still exists, then rerun.",
          cause: file.error,
        });
      }
      await rename(file.temp, path);
    }
    if (this.options.statsPath) await writeJsonAtomic(this.options.statsPath, this.stats);
    return this.stats;
  }

  /**
   * Drops the temp files without publishing anything. The streams are ended, not destroyed,
   * so writes still queued finish (a destroyed stream fails them with an uncaught
   * ERR_STREAM_DESTROYED) and the file is closed before it is removed.
   */
  async abort(): Promise<void> {
    for (const file of [this.exclusions, this.kept]) {
      if (!file) continue;
      await new Promise<void>((resolve) => {
        file.stream.once("close", () => resolve());
        file.stream.once("error", () => resolve());
        if (file.stream.closed) resolve();
        else file.stream.end();
      });
      await rm(file.temp, { force: true });
    }
  }
}

interface OpenFile {
  stream: WriteStream;
  temp: string;
  error?: Error;
}

function open(path: string | undefined): OpenFile | undefined {
  if (!path) return undefined;
  mkdirSync(dirname(path), { recursive: true });
  const temp = tempPathFor(path);
  const stream = createWriteStream(temp);
  const file: OpenFile = { stream, temp };
  // A write error (disk full, folder removed) must not crash the process: finish raises it.
  stream.on("error", (error) => {
    file.error ??= error;
  });
  return file;
}

export interface CleaningResult {
  stats: CleaningStats;
  summary: SummaryRow[];
}

/**
 * Cleans a stream of documents in-process: kept documents go to `onDocument`/`keptPath`,
 * dropped ones to `exclusionsPath`, stats to `statsPath`. Returns the stats and summary rows.
 */
export async function runCleaning(
  documents: Iterable<Document> | AsyncIterable<Document>,
  filters: readonly DocumentFilter[],
  options: CleaningOptions = {},
): Promise<CleaningResult> {
  const run = new CleaningRun(filters, options);
  try {
    for await (const document of documents) await run.process(document);
  } catch (error) {
    await run.abort();
    throw error;
  }
  const stats = await run.finish();
  options.listeners?.onProgress?.({
    stage: "data",
    done: stats.documentsIn,
    total: stats.documentsIn,
    unit: "documents",
    message: `kept ${stats.documentsKept} of ${stats.documentsIn} documents`,
  });
  return { stats, summary: summaryRows(stats) };
}
