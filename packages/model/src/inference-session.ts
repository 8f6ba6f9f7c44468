/**
 * InferenceSession: incremental decoding with a KV cache. `feed` appends tokens (a prompt, a
 * sampled token, or tool output forced into the stream) and returns the logits of the last
 * position; `expand` copies a batch-1 cache into n rows so that n continuations share one
 * prefill. When the context would overflow, the session keeps the most recent tokens (at least
 * half a context) and prefills them again, as an uncached model cropping its input would.
 * `snapshot` keeps the cache as it is (its tensors are immutable, so a snapshot holds clones that
 * share their data) and `restore` returns to it, so two continuations of one prefix can be decoded
 * from one computation of it; feeding the same tokens after a restore gives the same logits.
 * Reference: nanochat's engine.py KVCache. Leaves out: paged/rolling caches, speculative decoding.
 */
import { LlmError } from "@llm/core";
import * as tf from "@tensorflow/tfjs-core";
import { type GPT, type KvTensors, kvTensorList, mapKv, tidyObject } from "./gpt.js";

/** What InferenceSession.snapshot keeps: the cache and the tokens it holds (owned; disposeSnapshot frees it). */
export interface SessionSnapshot {
  cache: KvTensors | undefined;
  history: number[][];
}

/** Frees a snapshot's tensors. */
export function disposeSnapshot(snapshot: SessionSnapshot): void {
  if (snapshot.cache !== undefined) for (const t of kvTensorList(snapshot.cache)) t.dispose();
  snapshot.cache = undefined;
}

function cloneCache(cache: KvTensors | undefined): KvTensors | undefined {
  return cache === undefined ? undefined : mapKv(cache, (t) => tf.clone(t));
}

export class InferenceSession {
  readonly model: GPT;
  private cache: KvTensors | undefined;
  private history: number[][] = [[]];

  constructor(model: GPT) {
    this.model = model;
  }

  /** Tokens held in the cache (per row). */
  get length(): number {
    return this.history[0]?.length ?? 0;
  }

  /** Rows in the cache (1 until `expand`). */
  get batchSize(): number {
    return this.history.length;
  }

  /** Appends tokens to the single row and returns the logits [V] of the last position. */
  feed(tokens: readonly number[]): Float32Array {
    if (this.history.length !== 1) {
      throw new LlmError("INVALID_ARGUMENT", "feed works on a batch-1 session; use feedBatch after expand", {
        input: `batchSize=${this.history.length}`,
        hint: "Call feedBatch with one token list per row.",
      });
    }
    return this.feedBatch([tokens])[0] as Float32Array;
  }

  /** feed that reads the logits with `await data()`: works on every backend, webgpu too. */
  async feedAsync(tokens: readonly number[]): Promise<Float32Array> {
    if (this.history.length !== 1) return this.feed(tokens); // throws the batch-1 error
    return (await this.feedBatchAsync([tokens]))[0] as Float32Array;
  }

  /**
   * Appends tokens to every row (same count per row) and returns each row's last logits [V].
   * Reads them with dataSync: CPU-resident backends only; on webgpu use feedBatchAsync.
   */
  feedBatch(rows: ReadonlyArray<readonly number[]>): Float32Array[] {
    const logits = this.advance(rows);
    const data = logits.dataSync() as Float32Array;
    logits.dispose();
    return splitRows(data, rows.length, this.model.config.vocabSize);
  }

  /** feedBatch that reads the logits with `await data()` (every backend, webgpu too). */
  async feedBatchAsync(rows: ReadonlyArray<readonly number[]>): Promise<Float32Array[]> {
    const logits = this.advance(rows);
    try {
      return splitRows((await logits.data()) as Float32Array, rows.length, this.model.config.vocabSize);
    } finally {
      logits.dispose();
    }
  }

  /** Runs the new tokens through the model, updates cache and history; the last logits [B, V]. */
  private advance(rows: ReadonlyArray<readonly number[]>): tf.Tensor {
    const count = rows[0]?.length ?? 0;
    if (rows.length !== this.history.length || count === 0 || rows.some((r) => r.length !== count)) {
      throw new LlmError(
        "INVALID_ARGUMENT",
        "feedBatch needs one non-empty token list per row, all of the same length",
        {
          input: `rows=${rows.length}, batchSize=${this.history.length}`,
          hint: "Pass exactly batchSize lists with equal lengths.",
        },
      );
    }
    const { seqLen, vocabSize: V } = this.model.config;
    for (const row of rows) {
      for (const id of row) {
        if (!Number.isInteger(id) || id < 0 || id >= V) {
          throw new LlmError("INVALID_INPUT", `token id ${id} is outside the vocabulary [0, ${V})`, {
            input: String(id),
            hint: "Encode with the tokenizer the model was trained with.",
          });
        }
      }
    }
    let feedRows = rows.map((r) => [...r]);
    if (this.length + count > seqLen) {
      // overflow: restart the cache from the most recent tokens
      const keep = Math.min(seqLen, Math.max(count, Math.floor(seqLen / 2)));
      feedRows = this.history.map((h, i) => [...h, ...(rows[i] as number[])].slice(-keep));
      this.dropCache();
      this.history = this.history.map(() => []);
    }
    const B = feedRows.length;
    const T = feedRows[0]?.length as number;
    const start = this.length;
    const past = this.cache;
    const { logits, kv } = tidyObject(() => {
      const ids = tf.tensor2d(Int32Array.from(feedRows.flat()), [B, T], "int32"); // [B, T]
      const out = this.model.run(ids, start, past);
      const last = tf.reshape(tf.slice(tf.reshape(out.logits, [B, T, V]), [0, T - 1, 0], [B, 1, V]), [B, V]); // [B, V]
      return { logits: last, kv: out.kv }; // kv: past + these T positions, [B, nh, Tc, hs]
    });
    this.dropCache();
    this.cache = kv;
    for (const [i, row] of feedRows.entries()) this.history[i]?.push(...row);
    return logits;
  }

  /** Copies the batch-1 cache into n identical rows (a shared prefill for n samples). */
  expand(n: number): void {
    if (this.history.length !== 1 || !(n >= 1)) {
      throw new LlmError("INVALID_ARGUMENT", "expand needs a batch-1 session and n >= 1", {
        input: `batchSize=${this.history.length}, n=${n}`,
        hint: "Expand once, right after feeding the shared prompt.",
      });
    }
    if (this.cache !== undefined) {
      const old = this.cache;
      this.cache = tidyObject(() => mapKv(old, (t) => tf.tile(t, [n, 1, 1, 1]) as tf.Tensor4D)); // [n, nh, Tc, hs]
      for (const t of kvTensorList(old)) t.dispose();
    }
    const row = this.history[0] as number[];
    this.history = Array.from({ length: n }, () => [...row]);
  }

  /** The cache and history as they are now; the caller disposes it (disposeSnapshot) or restores it. */
  snapshot(): SessionSnapshot {
    return { cache: cloneCache(this.cache), history: this.history.map((h) => [...h]) };
  }

  /** Returns to a snapshot (which stays valid: it can be restored again; dispose it when done). */
  restore(snapshot: SessionSnapshot): void {
    this.dropCache();
    this.cache = cloneCache(snapshot.cache);
    this.history = snapshot.history.map((h) => [...h]);
  }

  /** Empties the cache (back to batch 1). */
  reset(): void {
    this.dropCache();
    this.history = [[]];
  }

  /** Frees the cache tensors. */
  dispose(): void {
    this.reset();
  }

  private dropCache(): void {
    if (this.cache === undefined) return;
    for (const t of kvTensorList(this.cache)) t.dispose();
    this.cache = undefined;
  }
}

function splitRows(data: Float32Array, B: number, V: number): Float32Array[] {
  return Array.from({ length: B }, (_, b) => data.slice(b * V, (b + 1) * V));
}
