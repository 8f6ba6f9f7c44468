/**
 * BigramModel: a real but trivial PolicyModel whose next-token logits depend only on the last
 * input id (a fixed transition table, no cache state). It lets rollout tests script exactly what
 * the "model" writes (e.g. a tool call) while going through the same batched KV-cache code path.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { KvCache, PolicyModel } from "../generate-rollouts.js";

export class BigramModel implements PolicyModel {
  readonly config: { vocabSize: number; seqLen: number };
  private readonly table: Float32Array;

  /** `next` maps a last id to the id it (almost surely) continues with; others get uniform logits. */
  constructor(vocabSize: number, seqLen: number, next: ReadonlyMap<number, number>) {
    this.config = { vocabSize, seqLen };
    this.table = new Float32Array(vocabSize * vocabSize);
    for (const [from, to] of next) this.table[from * vocabSize + to] = 50;
  }

  run(ids: tf.Tensor2D, _start: number, _past?: KvCache): { logits: tf.Tensor2D; kv: KvCache } {
    const V = this.config.vocabSize;
    const flat = ids.dataSync();
    const logits = new Float32Array(flat.length * V);
    flat.forEach((id, i) => logits.set(this.table.subarray(id * V, (id + 1) * V), i * V));
    return { logits: tf.tensor2d(logits, [flat.length, V]), kv: { keys: [], values: [] } };
  }
}
