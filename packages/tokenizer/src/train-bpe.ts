/**
 * trainBpe: trains a byte-level BPE tokenizer. Text is pre-split with a regex, each distinct
 * chunk is counted once (count-chunks.ts), then merges are learned with incremental pair counts
 * and a lazy max-heap: each merge visits only the chunks that contain the merged pair and
 * updates the counts of the pairs around each occurrence; nothing is recounted.
 * Reference: nanochat rustbpe, minbpe RegexTokenizer (same result, slower algorithm).
 *
 * Determinism: the pair with the highest count (summed over chunk occurrences) is merged first;
 * ties go to the smaller pair (lower left id, then lower right id). Within a chunk, occurrences
 * are merged left to right (so "aaa" merging (a,a) gives [aa, a]).
 * Ids: 0..255 are the bytes, 256.. the merges in order, then the special tokens (by default
 * @llm/core's SPECIAL_TOKENS) at the top. `vocabSize` counts all of them. Training stops early
 * (with a warning log) if the text runs out of pairs before the vocabulary is full.
 * Leaves out: multi-threaded counting, and min-frequency or "max token length" limits.
 */
import { type Listeners, LlmError, SPECIAL_TOKENS } from "@llm/core";
import { BpeTokenizer } from "./bpe-tokenizer.js";
import { countChunks, type TrainInput } from "./count-chunks.js";
import { PairHeap } from "./pair-heap.js";
import { checkPattern, DEFAULT_PATTERN } from "./pattern.js";

export interface TrainBpeConfig {
  /** Total ids: 256 bytes + merges + special tokens. Required; the pipeline uses 1024-4096. */
  vocabSize: number;
  /** Pre-split pattern in tiktoken syntax. Default: DEFAULT_PATTERN (GPT-4's, digits 1-2). */
  pattern?: string;
  /** Characters used from each document. Default: Infinity (nanochat uses 10,000). */
  maxCharsPerDoc?: number;
  /** Characters used in all. Default: Infinity. */
  maxChars?: number;
  /** Special tokens reserved at the top ids. Default: SPECIAL_TOKENS of @llm/core. */
  specialTokens?: readonly string[];
  /** Name of the result. Default: `bpe-${vocabSize}`. */
  name?: string;
}

/** Trains on a string, an iterable or an async iterable of documents. */
export async function trainBpe(
  input: TrainInput,
  config: TrainBpeConfig,
  listeners: Listeners = {},
): Promise<BpeTokenizer> {
  const pattern = config.pattern ?? DEFAULT_PATTERN;
  validate(config);
  const { counts, documents, chars } = await countChunks(
    input,
    {
      pattern,
      maxCharsPerDoc: config.maxCharsPerDoc ?? Number.POSITIVE_INFINITY,
      maxChars: config.maxChars ?? Number.POSITIVE_INFINITY,
    },
    listeners,
  );
  listeners.onLog?.({
    stage: "tokenizer",
    level: "info",
    message: `${documents} documents, ${chars} chars, ${counts.size} distinct chunks`,
  });
  return trainBpeFromCounts(counts, config, listeners);
}

function validate(config: TrainBpeConfig): void {
  const specials = config.specialTokens ?? SPECIAL_TOKENS;
  if (!Number.isInteger(config.vocabSize) || config.vocabSize < 256 + specials.length) {
    throw new LlmError(
      "INVALID_CONFIG",
      `vocabSize must be an integer >= ${256 + specials.length} (256 bytes + ${specials.length} special tokens).`,
      {
        input: `vocabSize=${config.vocabSize}`,
        hint: "Use e.g. 1024, 2048 or 4096 for the small models of the pipeline.",
      },
    );
  }
  if (new Set(specials).size !== specials.length) {
    throw new LlmError("INVALID_CONFIG", "Special tokens must be distinct.", { input: specials.join(",") });
  }
  checkPattern(config.pattern ?? DEFAULT_PATTERN);
}

/** Learns merges from chunk counts (chunk text -> occurrences). Synchronous. */
export function trainBpeFromCounts(
  counts: ReadonlyMap<string, number>,
  config: TrainBpeConfig,
  listeners: Listeners = {},
): BpeTokenizer {
  validate(config);
  const pattern = config.pattern ?? DEFAULT_PATTERN;
  const specials = config.specialTokens ?? SPECIAL_TOKENS;
  const merges = learnMerges(counts, config.vocabSize - 256 - specials.length, listeners);
  return BpeTokenizer.fromMerges(merges, {
    name: config.name ?? `bpe-${config.vocabSize}`,
    pattern,
    specialTokens: specials,
  });
}

/** The merge loop. Returns at most `numMerges` pairs [left, right]; merge i makes id 256 + i. */
export function learnMerges(
  counts: ReadonlyMap<string, number>,
  numMerges: number,
  listeners: Listeners = {},
): [number, number][] {
  // Words: every distinct chunk as its UTF-8 bytes, back to back in `syms`; merges shrink them in place.
  const encoder = new TextEncoder();
  const wordCount = counts.size;
  const start = new Int32Array(wordCount);
  const length = new Int32Array(wordCount);
  const freq = new Float64Array(wordCount);
  let syms = new Int32Array(1 << 16);
  let scratch = new Uint8Array(1024);
  let used = 0;
  let w = 0;
  for (const [chunk, count] of counts) {
    if (scratch.length < chunk.length * 3) scratch = new Uint8Array(chunk.length * 3);
    const n = encoder.encodeInto(chunk, scratch).written;
    if (used + n > syms.length) {
      const grown = new Int32Array(Math.max(syms.length * 2, used + n));
      grown.set(syms);
      syms = grown;
    }
    for (let i = 0; i < n; i++) syms[used + i] = scratch[i] as number;
    start[w] = used;
    length[w] = n;
    freq[w] = count;
    used += n;
    w++;
  }

  // Pairs, interned to dense ids: key = left * base + right.
  const base = 256 + numMerges;
  const pairIndex = new Map<number, number>();
  let capacity = 1 << 14;
  let pairLeft = new Int32Array(capacity);
  let pairRight = new Int32Array(capacity);
  let pairCount = new Float64Array(capacity);
  let lastWord = new Int32Array(capacity);
  let stamp = new Int32Array(capacity);
  const where: number[][] = [];
  let pairs = 0;
  const grow = (): void => {
    capacity *= 2;
    const g32 = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(capacity);
      b.set(a);
      return b;
    };
    pairLeft = g32(pairLeft);
    pairRight = g32(pairRight);
    lastWord = g32(lastWord);
    stamp = g32(stamp);
    const c = new Float64Array(capacity);
    c.set(pairCount);
    pairCount = c;
  };
  const intern = (left: number, right: number): number => {
    const key = left * base + right;
    let id = pairIndex.get(key);
    if (id === undefined) {
      id = pairs++;
      if (id === capacity) grow();
      pairIndex.set(key, id);
      pairLeft[id] = left;
      pairRight[id] = right;
      lastWord[id] = -1;
      stamp[id] = -1;
      where.push([]);
    }
    return id;
  };

  for (let word = 0; word < wordCount; word++) {
    const s = start[word] as number;
    const end = s + (length[word] as number);
    const f = freq[word] as number;
    for (let i = s; i + 1 < end; i++) {
      const id = intern(syms[i] as number, syms[i + 1] as number);
      pairCount[id] = (pairCount[id] as number) + f;
      if (lastWord[id] !== word) {
        lastWord[id] = word;
        (where[id] as number[]).push(word);
      }
    }
  }
  const heap = new PairHeap();
  for (let id = 0; id < pairs; id++) {
    heap.push(pairCount[id] as number, (pairLeft[id] as number) * base + (pairRight[id] as number), id);
  }

  const merges: [number, number][] = [];
  const seenWord = new Int32Array(wordCount).fill(-1);
  const touched: number[] = [];
  const reportEvery = Math.max(1, Math.floor(numMerges / 100));
  for (let m = 0; m < numMerges; m++) {
    // Pop until a snapshot matches the pair's current count.
    let best = -1;
    while (heap.pop()) {
      const id = heap.topPair;
      const current = pairCount[id] as number;
      if (heap.topCount === current) {
        if (current > 0) best = id;
        break;
      }
      if (current > 0 && current < heap.topCount)
        heap.push(current, (pairLeft[id] as number) * base + (pairRight[id] as number), id);
    }
    if (best < 0) {
      listeners.onLog?.({
        stage: "tokenizer",
        level: "warn",
        message: `no pairs left after ${m} merges; the vocabulary is smaller than asked`,
      });
      break;
    }
    const a = pairLeft[best] as number;
    const b = pairRight[best] as number;
    const newId = 256 + m;
    merges.push([a, b]);
    touched.length = 0;
    // Adds delta to the count of (left, right); a pair that gains records the word it is in.
    const bump = (left: number, right: number, delta: number, word: number): void => {
      const id = intern(left, right);
      pairCount[id] = (pairCount[id] as number) + delta;
      if (delta > 0) {
        if (stamp[id] !== m) {
          stamp[id] = m;
          touched.push(id);
        }
        if (lastWord[id] !== word) {
          lastWord[id] = word;
          (where[id] as number[]).push(word);
        }
      }
    };
    const occurrences = where[best] as number[];
    where[best] = [];
    for (const word of occurrences) {
      if (seenWord[word] === m) continue;
      seenWord[word] = m;
      const s = start[word] as number;
      const end = s + (length[word] as number);
      const f = freq[word] as number;
      let out = s;
      let i = s;
      while (i < end) {
        if (i + 1 < end && syms[i] === a && syms[i + 1] === b) {
          if (out > s) {
            const left = syms[out - 1] as number;
            bump(left, a, -f, word);
            bump(left, newId, f, word);
          }
          if (i + 2 < end) {
            const right = syms[i + 2] as number;
            bump(b, right, -f, word);
            bump(newId, right, f, word);
          }
          syms[out++] = newId;
          i += 2;
        } else {
          syms[out++] = syms[i++] as number;
        }
      }
      length[word] = out - s;
    }
    pairCount[best] = 0;
    for (const id of touched) {
      const current = pairCount[id] as number;
      if (current > 0) heap.push(current, (pairLeft[id] as number) * base + (pairRight[id] as number), id);
    }
    if ((m + 1) % reportEvery === 0 || m + 1 === numMerges) {
      listeners.onProgress?.({ stage: "tokenizer", done: m + 1, total: numMerges, unit: "merges" });
    }
  }
  return merges;
}
