/**
 * The order in which a batch source visits its windows: a seeded permutation per epoch (or the
 * identity when shuffling is off) and a cursor. Its position is two integers, so a restored
 * source replays exactly the same windows. Reference: nanoGPT/nanochat data loaders (which
 * draw random offsets; we permute instead so every window is seen once per epoch).
 * Leaves out: distributed sharding of the order (give each rank its own shards or seed).
 */
import { type BatchPosition, LlmError, Rng } from "@llm/core";

export class WindowOrder {
  readonly count: number;
  private readonly seed: number | string;
  private readonly shuffle: boolean;
  private epochValue = 0;
  private cursorValue = 0;
  private order: Uint32Array | undefined;

  constructor(count: number, seed: number | string, shuffle: boolean) {
    this.count = count;
    this.seed = seed;
    this.shuffle = shuffle;
    this.order = this.permutation(0);
  }

  get epoch(): number {
    return this.epochValue;
  }

  get cursor(): number {
    return this.cursorValue;
  }

  private permutation(epoch: number): Uint32Array | undefined {
    if (!this.shuffle) return undefined;
    const order = new Uint32Array(this.count);
    for (let i = 0; i < this.count; i++) order[i] = i;
    const rng = new Rng(`${String(this.seed)}:epoch:${epoch}`);
    for (let i = this.count - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const tmp = order[i] as number;
      order[i] = order[j] as number;
      order[j] = tmp;
    }
    return order;
  }

  /** The next window index, moving into a new epoch (with a new permutation) at the end. */
  next(): number {
    if (this.cursorValue >= this.count) {
      this.epochValue++;
      this.cursorValue = 0;
      this.order = this.permutation(this.epochValue);
    }
    const i = this.cursorValue++;
    return this.order ? (this.order[i] as number) : i;
  }

  position(): BatchPosition {
    return { epoch: this.epochValue, cursor: this.cursorValue, windows: this.count };
  }

  restore(position: BatchPosition, source: string): void {
    const { epoch, cursor, windows } = position as { epoch?: unknown; cursor?: unknown; windows?: unknown };
    if (
      !Number.isInteger(epoch) ||
      !Number.isInteger(cursor) ||
      (epoch as number) < 0 ||
      (cursor as number) < 0
    ) {
      throw new LlmError("INVALID_ARGUMENT", "Batch position needs non-negative integer epoch and cursor", {
        input: JSON.stringify(position),
        hint: "Pass the object returned by position() unchanged.",
      });
    }
    if (windows !== undefined && windows !== this.count) {
      throw new LlmError(
        "FILE_MISMATCH",
        `Batch position was saved over ${String(windows)} windows but ${source} has ${this.count}`,
        {
          input: JSON.stringify(position),
          hint: "Resume with the same shards, seqLen and split as the saved run.",
        },
      );
    }
    if ((cursor as number) > this.count) {
      throw new LlmError(
        "INVALID_ARGUMENT",
        `Batch position cursor ${String(cursor)} is past ${this.count} windows`,
        {
          input: JSON.stringify(position),
        },
      );
    }
    this.epochValue = epoch as number;
    this.cursorValue = cursor as number;
    this.order = this.permutation(this.epochValue);
  }
}
