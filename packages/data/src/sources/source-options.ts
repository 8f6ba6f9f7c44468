/**
 * What every file source shares: how bad input is reported (an issue with a reason that the
 * cleaning run writes to the exclusion file) or, with `failFast`, thrown as an LlmError.
 * Reference: datatrove readers' `skip` handling. Leaves out: retries.
 */
import { LlmError } from "@llm/core";

/** One piece of input a source could not turn into a document. */
export interface SourceIssue {
  /** Which source, e.g. "jsonl". */
  source: string;
  /** The file (and line or record) it concerns. */
  input: string;
  /** Short stable rule name: "invalid_utf8", "malformed_json", "empty_file", "too_large", ... */
  rule: string;
  /** A sentence for people. */
  message: string;
}

export interface SourceOptions {
  /** Called for every skipped input. Default: ignore (the run collects them when it passes one). */
  onIssue?: (issue: SourceIssue) => void;
  /** Throw an LlmError on the first bad input instead of skipping it. Default false. */
  failFast?: boolean;
  /** Largest document (or JSONL line) in bytes; larger ones are skipped. Default 16 MiB. */
  maxDocumentBytes?: number;
}

export const DEFAULT_MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

/** Reports an issue, or throws it when failFast is set. */
export function reportIssue(options: SourceOptions, issue: SourceIssue): void {
  if (options.failFast) {
    throw new LlmError("INVALID_INPUT", `${issue.source}: ${issue.message} [${issue.rule}]`, {
      input: issue.input,
      hint: "Fix or remove the input, or run without failFast to skip it and record it in the exclusion file.",
    });
  }
  options.onIssue?.(issue);
}

const strictDecoder = new TextDecoder("utf-8", { fatal: true });

/** Decodes UTF-8 strictly; returns undefined when the bytes are not valid UTF-8. */
export function decodeUtf8Strict(bytes: Uint8Array): string | undefined {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return undefined;
  }
}
