/**
 * ArrayBatchSource: a BatchSource over token ids held in memory: consecutive windows of
 * seqLen + 1 tokens, batchSize rows per batch, wrapping around at the end, with an optional
 * per-token mask. Its position is one offset, so resumes are exact. Used by tests, demos and
 * small experiments. Reference: nanoGPT's get_batch (sequential, not random). Leaves out:
 * shuffling and shards on disk (@llm/data's ShardBatchSource does those).
 */
import { type Batch, type BatchPosition, type BatchSource, LlmError } from "@llm/core";

export class ArrayBatchSource implements BatchSource {
  readonly batchSize: number;
  readonly seqLen: number;
  private readonly tokens: Int32Array;
  private readonly mask: Float32Array | undefined;
  private offset = 0;

  /**
   * @param tokens the token stream
   * @param batchSize rows per batch
   * @param seqLen tokens per row
   * @param mask optional weight per token of `tokens` (the target's weight is used)
   */
  constructor(tokens: ArrayLike<number>, batchSize: number, seqLen: number, mask?: ArrayLike<number>) {
    if (tokens.length < seqLen + 1) {
      throw new LlmError(
        "INVALID_INPUT",
        `need at least seqLen + 1 = ${seqLen + 1} tokens, got ${tokens.length}`,
        {
          input: `tokens.length=${tokens.length}`,
          hint: "Provide more tokens or a shorter seqLen.",
        },
      );
    }
    this.tokens = Int32Array.from(tokens);
    this.mask = mask === undefined ? undefined : Float32Array.from(mask);
    this.batchSize = batchSize;
    this.seqLen = seqLen;
  }

  async next(): Promise<Batch> {
    const { batchSize: B, seqLen: T } = this;
    const inputs = new Int32Array(B * T);
    const targets = new Int32Array(B * T);
    const mask = this.mask === undefined ? undefined : new Float32Array(B * T);
    for (let b = 0; b < B; b++) {
      if (this.offset + T + 1 > this.tokens.length) this.offset = 0;
      for (let t = 0; t < T; t++) {
        inputs[b * T + t] = this.tokens[this.offset + t] as number;
        targets[b * T + t] = this.tokens[this.offset + t + 1] as number;
        if (mask !== undefined) mask[b * T + t] = this.mask?.[this.offset + t + 1] as number;
      }
      this.offset += T;
    }
    return mask === undefined
      ? { inputs, targets, batchSize: B, seqLen: T }
      : { inputs, targets, mask, batchSize: B, seqLen: T };
  }

  position(): BatchPosition {
    return { offset: this.offset };
  }

  restore(position: BatchPosition): void {
    const offset = position.offset;
    if (
      typeof offset !== "number" ||
      !Number.isInteger(offset) ||
      offset < 0 ||
      offset >= this.tokens.length
    ) {
      throw new LlmError("INVALID_INPUT", "invalid ArrayBatchSource position", {
        input: JSON.stringify(position),
        hint: "Restore a position returned by position() of a source over the same tokens.",
      });
    }
    this.offset = offset;
  }
}
