/**
 * JsEncoder: a pure-JS encoder (BpeTokenizer runs it for GPT-4-family patterns: ours,
 * cl100k_base): the pre-splitter of the pattern (pre-splitter.ts, the trainer's) cuts the text, a cache maps
 * repeated chunks to their ids, and new chunks go through tiktoken's merge rule (repeatedly
 * merge the adjacent pair whose joined bytes have the lowest rank; the leftmost on ties). It
 * gives tiktoken's ids (tested on Moby Dick and random Unicode) without crossing into WASM.
 * Reference: tiktoken `byte_pair_merge`, gpt-tokenizer's chunk cache. Leaves out: special
 * tokens (BpeTokenizer hands text that may contain allowed special tokens to tiktoken).
 * Character classes are tiktoken's own (unicode-classes.ts), not Node's.
 */
import { LlmError } from "@llm/core";
import type { PreSplitter } from "./pre-splitter.js";

const encoder = new TextEncoder();

/** Bytes as a string of char codes 0-255 (a compact Map key). */
function byteString(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) out += String.fromCharCode(bytes[i] as number);
  return out;
}

export class JsEncoder {
  private readonly ranks = new Map<string, number>();
  private readonly cache = new Map<string, number[]>();
  private readonly split: PreSplitter;
  /** Chunks remembered before the cache is cleared. */
  private readonly cacheSize: number;

  /** `tokens(id)` are the bytes of ordinary id `id`; `split` cuts text (preSplitter(pattern)). */
  constructor(
    tokens: (id: number) => Uint8Array,
    ordinarySize: number,
    split: PreSplitter,
    cacheSize = 200_000,
  ) {
    for (let id = 0; id < ordinarySize; id++) {
      const key = byteString(tokens(id));
      if (!this.ranks.has(key)) this.ranks.set(key, id);
    }
    this.split = split;
    this.cacheSize = cacheSize;
  }

  encode(text: string): number[] {
    const out: number[] = [];
    this.split(text, (start, end) => {
      const chunk = text.slice(start, end);
      let ids = this.cache.get(chunk);
      if (ids === undefined) {
        ids = this.encodeChunk(chunk);
        if (this.cache.size >= this.cacheSize) this.cache.clear();
        this.cache.set(chunk, ids);
      }
      for (let i = 0; i < ids.length; i++) out.push(ids[i] as number);
    });
    return out;
  }

  private encodeChunk(chunk: string): number[] {
    // ASCII chunks are already byte strings; others (and lone surrogates, as U+FFFD) via UTF-8.
    const piece = /^[\x00-\x7f]*$/.test(chunk) ? chunk : byteString(encoder.encode(chunk));
    const whole = this.ranks.get(piece);
    if (whole !== undefined) return [whole];
    return this.merge(piece);
  }

  /** tiktoken's byte_pair_merge over the byte string `piece`. */
  private merge(piece: string): number[] {
    const ranks = this.ranks;
    const rankOf = (from: number, to: number): number =>
      ranks.get(piece.slice(from, to)) ?? Number.POSITIVE_INFINITY;
    // starts[i]: where part i begins; pairRank[i]: rank of part i joined with part i + 1.
    const starts: number[] = [];
    for (let i = 0; i <= piece.length; i++) starts.push(i);
    const pairRank: number[] = [];
    for (let i = 0; i + 2 < starts.length; i++)
      pairRank.push(rankOf(starts[i] as number, starts[i + 2] as number));
    for (;;) {
      let best = -1;
      let min = Number.POSITIVE_INFINITY;
      for (let i = 0; i < pairRank.length; i++) {
        if ((pairRank[i] as number) < min) {
          min = pairRank[i] as number;
          best = i;
        }
      }
      if (best < 0) break;
      starts.splice(best + 1, 1);
      pairRank.splice(best, 1);
      if (best < pairRank.length) pairRank[best] = rankOf(starts[best] as number, starts[best + 2] as number);
      if (best > 0) pairRank[best - 1] = rankOf(starts[best - 1] as number, starts[best + 1] as number);
    }
    const ids: number[] = [];
    for (let i = 0; i + 1 < starts.length; i++) {
      const id = ranks.get(piece.slice(starts[i] as number, starts[i + 1] as number));
      if (id === undefined) {
        throw new LlmError(
          "TOKENIZER_ERROR",
          `Byte ${piece.charCodeAt(starts[i] as number)} has no token in this vocabulary.`,
          {
            hint: 'A byte-level vocabulary needs all 256 single bytes; use engine: "tiktoken" for others.',
          },
        );
      }
      ids.push(id);
    }
    return ids;
  }
}
