/**
 * JSON Lines reading, one way everywhere: parseJsonl (text in memory), readJsonl (a whole file)
 * and streamJsonl (a file line by line, constant memory apart from the longest line). Blank
 * lines are skipped; a line that is not JSON, or fails the caller's check, is one error:
 * LlmError("FILE_CORRUPT") whose input is `<file>:<line>` and whose hint says how to fix it.
 * `skipTornLines` skips lines that are not JSON, for append-only logs whose writer a kill can
 * stop mid-line (the step is logged again when it reruns).
 * Reference: https://jsonlines.org. Leaves out: writing (callers append or write atomically)
 * and lines longer than memory (@llm/data's readLines bounds those for raw corpora).
 */
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { LlmError } from "./errors.js";

export interface JsonlOptions {
  /**
   * What each line must be: returns a sentence naming the problem ("has no text string"), or
   * undefined when the value is fine. Default: any JSON value.
   */
  check?: (value: unknown) => string | undefined;
  /** How to fix a bad line (names the tool or stage that rewrites the file). */
  hint?: string;
  /**
   * Skip lines that are not JSON instead of failing: for append-only logs, where a kill can cut
   * an append short and the rerun appends after it. Lines failing `check` still fail. Default false.
   */
  skipTornLines?: boolean;
  /** A missing file reads as no records instead of a FILE_NOT_FOUND error. Default false. */
  missingIsEmpty?: boolean;
}

const DEFAULT_HINT =
  "Each line must be one JSON value; fix or delete that line, or rewrite the file with the tool that made it.";

/** The error for line `line` (1-based) of `source`. */
export function jsonlLineError(
  source: string,
  line: number,
  problem: string,
  hint?: string,
  cause?: unknown,
): LlmError {
  return new LlmError("FILE_CORRUPT", `Line ${line} of ${source} ${problem}.`, {
    input: `${source}:${line}`,
    hint: hint ?? DEFAULT_HINT,
    cause,
  });
}

/** Parses one line; undefined for a blank line. Throws the line's error otherwise. */
function parseLine<T>(
  text: string,
  source: string,
  line: number,
  options: JsonlOptions,
): { value: T } | undefined {
  const trimmed = text.endsWith("\r") ? text.slice(0, -1) : text;
  if (trimmed.trim() === "") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (cause) {
    if (options.skipTornLines) return undefined;
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw jsonlLineError(source, line, `is not valid JSON (${reason})`, options.hint, cause);
  }
  const problem = options.check?.(value);
  if (problem !== undefined) throw jsonlLineError(source, line, problem, options.hint);
  return { value: value as T };
}

/** The records of JSONL `text`; `source` names it in errors (a path, or "stdin"). */
export function parseJsonl<T = unknown>(text: string, source: string, options: JsonlOptions = {}): T[] {
  const records: T[] = [];
  text.split("\n").forEach((line, index) => {
    const parsed = parseLine<T>(line, source, index + 1, options);
    if (parsed) records.push(parsed.value);
  });
  return records;
}

function notFound(path: string, cause: unknown): LlmError {
  return new LlmError("FILE_NOT_FOUND", `${path} does not exist.`, {
    input: path,
    hint: "Check the path, or run the step that writes the file.",
    cause,
  });
}

/** The records of the JSONL file at `path`, read whole. */
export async function readJsonl<T = unknown>(path: string, options: JsonlOptions = {}): Promise<T[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    if (options.missingIsEmpty) return [];
    throw notFound(path, error);
  }
  return parseJsonl<T>(text, path, options);
}

/** The records of the JSONL file at `path`, one at a time, in constant memory. */
export async function* streamJsonl<T = unknown>(path: string, options: JsonlOptions = {}): AsyncGenerator<T> {
  const input = createReadStream(path, "utf8");
  const opened = await new Promise<NodeJS.ErrnoException | undefined>((done) => {
    input.once("open", () => done(undefined));
    input.once("error", (error) => done(error));
  });
  if (opened) {
    if (opened.code !== "ENOENT") throw opened;
    if (options.missingIsEmpty) return;
    throw notFound(path, opened);
  }
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  try {
    for await (const text of lines) {
      lineNumber++;
      const parsed = parseLine<T>(text, path, lineNumber, options);
      if (parsed) yield parsed.value;
    }
  } finally {
    lines.close();
    input.destroy();
  }
}
