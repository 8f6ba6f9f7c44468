/**
 * Wraps a BatchSource so that fetching each batch first yields to the event loop. A training
 * loop whose awaits all resolve as microtasks (in-memory batches, wasm tensor reads) otherwise
 * never lets Node run macrotasks: Ctrl-C (signal handlers), worker-thread messages and timers
 * would wait until the next file write. Costs one setImmediate per step.
 */
import type { Batch, BatchPosition, BatchSource } from "@llm/core";

export class YieldingBatchSource implements BatchSource {
  constructor(private readonly inner: BatchSource) {}

  get batchSize(): number {
    return this.inner.batchSize;
  }

  get seqLen(): number {
    return this.inner.seqLen;
  }

  async next(): Promise<Batch> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    return this.inner.next();
  }

  position(): BatchPosition {
    return this.inner.position();
  }

  restore(position: BatchPosition): void {
    this.inner.restore(position);
  }
}
