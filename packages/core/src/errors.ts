/**
 * LlmError: the one error type every @llm package throws for bad input or broken files.
 * It carries a stable machine-readable `code`, the offending `input` (a path, a field, a value)
 * and a `hint` that tells the user how to fix it. Reference: Node's `code` convention on errors.
 * Leaves out: localisation and error chaining beyond the standard `cause`.
 */

/** Stable error codes. Add new codes at the end; never rename one (users match on them). */
export type LlmErrorCode =
  | "INVALID_CONFIG"
  | "INVALID_ARGUMENT"
  | "FILE_NOT_FOUND"
  | "FILE_CORRUPT"
  | "FILE_MISMATCH"
  | "UNSUPPORTED_FORMAT"
  | "UNSUPPORTED_BACKEND"
  | "NETWORK_UNAVAILABLE"
  | "INVALID_INPUT"
  | "TOKENIZER_ERROR"
  | "SANDBOX_ERROR"
  | "CHECKPOINT_ERROR"
  | "RUN_ERROR"
  | "ABORTED"
  | "LOCKED"
  /** A feature needs an optional peer package that is not installed (the hint names it). */
  | "MISSING_DEPENDENCY";

export interface LlmErrorOptions {
  /** The offending input: a file path, a config field, a CLI flag or a short excerpt of a value. */
  input?: string;
  /** One sentence on how to fix it. */
  hint?: string;
  /** The underlying error, if any. */
  cause?: unknown;
}

export class LlmError extends Error {
  override readonly name = "LlmError";
  readonly code: LlmErrorCode;
  readonly input: string | undefined;
  readonly hint: string | undefined;

  constructor(code: LlmErrorCode, message: string, options: LlmErrorOptions = {}) {
    const parts = [message];
    if (options.input !== undefined) parts.push(`(input: ${options.input})`);
    if (options.hint !== undefined) parts.push(`Hint: ${options.hint}`);
    super(parts.join(" "), options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.input = options.input;
    this.hint = options.hint;
  }
}

/** True when `error` is an LlmError, optionally with the given code. */
export function isLlmError(error: unknown, code?: LlmErrorCode): error is LlmError {
  return error instanceof LlmError && (code === undefined || error.code === code);
}
