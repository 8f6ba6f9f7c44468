import type { Batch, BatchSource } from "@llm/core";
import { describe, expect, it } from "vitest";
import { YieldingBatchSource } from "./yielding-source.js";

class CountingSource implements BatchSource {
  readonly batchSize = 1;
  readonly seqLen = 2;
  index = 0;
  async next(): Promise<Batch> {
    const i = this.index++;
    return { inputs: Int32Array.of(i, i), targets: Int32Array.of(i, i), batchSize: 1, seqLen: 2 };
  }
  position() {
    return { index: this.index };
  }
  restore(position: Record<string, unknown>) {
    this.index = Number(position.index);
  }
}

describe("YieldingBatchSource", () => {
  it("passes batches and positions through", async () => {
    const source = new YieldingBatchSource(new CountingSource());
    expect((await source.next()).inputs[0]).toBe(0);
    const saved = source.position();
    expect((await source.next()).inputs[0]).toBe(1);
    source.restore(saved);
    expect((await source.next()).inputs[0]).toBe(1);
    expect([source.batchSize, source.seqLen]).toEqual([1, 2]);
  });

  it("lets macrotasks (signals, worker messages, timers) run between batches", async () => {
    let ticked = false;
    setImmediate(() => {
      ticked = true;
    });
    const plain = new CountingSource();
    for (let i = 0; i < 5; i++) await plain.next();
    expect(ticked).toBe(false);
    await new YieldingBatchSource(new CountingSource()).next();
    expect(ticked).toBe(true);
  });
});
