/**
 * A BatchSource over a token array held in memory, with an optional parallel loss mask.
 * Without `rows`, windows of seqLen+1 tokens are cut at a stride of seqLen (inputs are the
 * first seqLen, targets the last seqLen). With `rows`, each row starts at a given offset and
 * is padded (padId, mask 0) after its length: this is how SFT feeds one conversation per row.
 * `mask[i]` says whether token i counts as a *target*; Batch.mask[b, t] is the mask of the
 * token that targets[b, t] holds. Reference: nanoGPT's get_batch. Leaves out: files (see
 * ShardBatchSource).
 */
import { type Batch, type BatchPosition, type BatchSource, LlmError } from "@llm/core";
import { WindowOrder } from "./window-order.js";

export interface InMemoryRow {
  /** Offset of the row's first token in `tokens`. */
  start: number;
  /** Tokens that belong to the row (at most seqLen + 1 are used); the rest is padding. */
  length: number;
}

export interface InMemoryBatchSourceOptions {
  tokens: ArrayLike<number>;
  /** Per-token target mask (1 = counts in the loss), same length as tokens. Default: no mask. */
  mask?: ArrayLike<number>;
  batchSize: number;
  seqLen: number;
  /** Explicit rows instead of sliding windows. Default: windows at stride seqLen. */
  rows?: readonly InMemoryRow[];
  /** Id used to pad rows shorter than seqLen + 1. Default 0 (masked out either way). */
  padId?: number;
  /** Seed of the per-epoch shuffle. Default 0. */
  seed?: number | string;
  /** Shuffle windows every epoch. Default true. */
  shuffle?: boolean;
}

export class InMemoryBatchSource implements BatchSource {
  readonly batchSize: number;
  readonly seqLen: number;
  private readonly tokens: ArrayLike<number>;
  private readonly mask: ArrayLike<number> | undefined;
  private readonly rows: readonly InMemoryRow[] | undefined;
  private readonly padId: number;
  private readonly order: WindowOrder;

  constructor(options: InMemoryBatchSourceOptions) {
    const { tokens, batchSize, seqLen } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1 || !Number.isInteger(seqLen) || seqLen < 1) {
      throw new LlmError("INVALID_ARGUMENT", `batchSize and seqLen must be positive integers`, {
        input: `batchSize=${batchSize} seqLen=${seqLen}`,
      });
    }
    if (options.mask && options.mask.length !== tokens.length) {
      throw new LlmError(
        "INVALID_ARGUMENT",
        `mask has ${options.mask.length} entries but tokens ${tokens.length}`,
        {
          input: "mask",
          hint: "Pass one mask value per token.",
        },
      );
    }
    if (options.rows) {
      for (const row of options.rows) {
        if (row.start < 0 || row.length < 1 || row.start + row.length > tokens.length) {
          throw new LlmError(
            "INVALID_ARGUMENT",
            `Row {start: ${row.start}, length: ${row.length}} is out of range`,
            {
              input: "rows",
              hint: `Rows must lie inside the ${tokens.length} tokens.`,
            },
          );
        }
      }
    }
    const count = options.rows ? options.rows.length : Math.floor((tokens.length - 1) / seqLen);
    if (count < 1) {
      throw new LlmError(
        "INVALID_INPUT",
        `Not enough tokens (${tokens.length}) for one window of seqLen + 1 = ${seqLen + 1}`,
        { input: "tokens", hint: "Use a smaller seqLen or more data." },
      );
    }
    this.tokens = tokens;
    this.mask = options.mask;
    this.rows = options.rows;
    this.padId = options.padId ?? 0;
    this.batchSize = batchSize;
    this.seqLen = seqLen;
    this.order = new WindowOrder(count, options.seed ?? 0, options.shuffle ?? true);
  }

  /** Number of windows (rows) in one epoch. */
  get windowCount(): number {
    return this.order.count;
  }

  get epoch(): number {
    return this.order.epoch;
  }

  async next(): Promise<Batch> {
    return this.nextSync();
  }

  /** The same as `next`, synchronously. */
  nextSync(): Batch {
    const { batchSize: B, seqLen: T } = this;
    const inputs = new Int32Array(B * T);
    const targets = new Int32Array(B * T);
    const withMask = this.mask !== undefined || this.rows !== undefined;
    const mask = withMask ? new Float32Array(B * T) : undefined;
    for (let b = 0; b < B; b++) {
      const w = this.order.next();
      const row = this.rows?.[w];
      const start = row ? row.start : w * T;
      const length = row ? Math.min(row.length, T + 1) : T + 1;
      for (let t = 0; t < T; t++) {
        const o = b * T + t;
        inputs[o] = t < length ? (this.tokens[start + t] as number) : this.padId;
        const inside = t + 1 < length;
        targets[o] = inside ? (this.tokens[start + t + 1] as number) : this.padId;
        if (mask) mask[o] = inside ? (this.mask ? (this.mask[start + t + 1] as number) : 1) : 0;
      }
    }
    return mask
      ? { inputs, targets, batchSize: B, seqLen: T, mask }
      : { inputs, targets, batchSize: B, seqLen: T };
  }

  position(): BatchPosition {
    return this.order.position();
  }

  restore(position: BatchPosition): void {
    this.order.restore(position, "this in-memory source");
  }
}
