/**
 * MinHash LSH near-dedup, organised as datatrove's four stages so it shards across ranks:
 *   1. signature: each document -> bands x rows min-hashes of its word 5-gram shingles
 *      (after normalizeForDedup), written per rank;
 *   2. bucket: documents whose signatures agree on all rows of any band are candidate pairs;
 *   3. cluster: union-find over pairs; each cluster keeps its first document (by rank, then
 *      position) and lists the others for removal;
 *   4. filter: a DocumentFilter that drops the listed documents, naming the one kept.
 * A pair with Jaccard similarity s is caught with probability 1 - (1 - s^rows)^bands.
 * Slot hash functions are h_i(x) = xorshift(a_i * x + b_i) mod 2^32 over a well-mixed 32-bit
 * shingle hash (a_i odd, a_i and b_i seeded).
 * Reference: Broder 1997; datatrove's minhash.py; FineWeb uses 14 bands x 8 rows.
 * Leaves out: the on-disk sorted bucket files of datatrove (buckets are built in memory
 * from all ranks' signature files, fine up to millions of documents).
 */
import { type Document, type DocumentFilter, type FilterDecision, hashString, LlmError } from "@llm/core";
import { normalizeForDedup } from "./normalize.js";

export interface MinHashOptions {
  /** Bands (buckets). Default 14. */
  bands?: number;
  /** Hashes per band. Default 8. */
  rows?: number;
  /** Words per shingle. Default 5. */
  ngram?: number;
  /** Seed of the hash family. Default 1. */
  seed?: number;
}

export interface ResolvedMinHashOptions {
  bands: number;
  rows: number;
  ngram: number;
  seed: number;
}

export function resolveMinHashOptions(options: MinHashOptions = {}): ResolvedMinHashOptions {
  const o = {
    bands: options.bands ?? 14,
    rows: options.rows ?? 8,
    ngram: options.ngram ?? 5,
    seed: options.seed ?? 1,
  };
  if (![o.bands, o.rows, o.ngram].every((v) => Number.isInteger(v) && v >= 1)) {
    throw new LlmError("INVALID_ARGUMENT", "MinHash bands, rows and ngram must be positive integers", {
      input: JSON.stringify(o),
    });
  }
  return o;
}

/** The probability that a pair with Jaccard similarity s shares at least one band. */
export function minhashCatchProbability(s: number, bands = 14, rows = 8): number {
  return 1 - (1 - s ** rows) ** bands;
}

function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

const seedCache = new Map<string, Uint32Array>();
function slotSeeds(count: number, seed: number): Uint32Array {
  const key = `${count}:${seed}`;
  let seeds = seedCache.get(key);
  if (!seeds) {
    seeds = new Uint32Array(count);
    for (let i = 0; i < count; i++) seeds[i] = mix32((seed * 0x9e3779b9 + i * 0x85ebca6b + 1) >>> 0);
    seedCache.set(key, seeds);
  }
  return seeds;
}

/** Hashes of the word n-gram shingles of the normalised text (a short text is one shingle). */
export function shingleHashes(text: string, ngram: number): Uint32Array {
  const words = normalizeForDedup(text)
    .split(" ")
    .filter((w) => w.length > 0);
  const wordHashes = Uint32Array.from(words, (w) => hashString(w));
  const set = new Set<number>();
  const count = Math.max(1, words.length - ngram + 1);
  for (let i = 0; i < count; i++) {
    // combine the n word hashes in order (FNV-style over 32-bit words, then a final mix)
    let h = 0x811c9dc5;
    for (let k = i; k < Math.min(i + ngram, words.length); k++)
      h = Math.imul(h ^ (wordHashes[k] as number), 0x01000193);
    set.add(mix32(h >>> 0));
  }
  return Uint32Array.from(set);
}

/** The bands*rows MinHash signature of a text. */
export function minhashSignature(text: string, options: MinHashOptions = {}): Uint32Array {
  const o = resolveMinHashOptions(options);
  const slots = o.bands * o.rows;
  const seeds = slotSeeds(slots, o.seed);
  const shingles = shingleHashes(text, o.ngram);
  const sig = new Uint32Array(slots).fill(0xffffffff);
  const multipliers = slotSeeds(slots, o.seed + 0x51ed27).map((a) => a | 1);
  const n = shingles.length;
  for (let s = 0; s < n; s++) {
    const h = shingles[s] as number;
    for (let i = 0; i < slots; i++) {
      // one multiply-add-xorshift per slot: h_i(x) = xs(a_i * x + b_i), a_i odd
      let v = (Math.imul(h, multipliers[i] as number) + (seeds[i] as number)) | 0;
      v = (v ^ (v >>> 15)) >>> 0;
      if (v < (sig[i] as number)) sig[i] = v;
    }
  }
  return sig;
}

/** The bucket key of each band of a signature. */
export function bandKeys(signature: Uint32Array, bands: number, rows: number): string[] {
  const keys: string[] = [];
  for (let b = 0; b < bands; b++) {
    const parts: string[] = [];
    for (let r = 0; r < rows; r++) parts.push((signature[b * rows + r] as number).toString(36));
    keys.push(`${b}:${parts.join(".")}`);
  }
  return keys;
}

/** One document's signature, as written by the signature stage. */
export interface SignatureRecord {
  id: string;
  signature: Uint32Array;
}

/** Stage 2: candidate duplicate pairs [earlier, later] from documents in global order. */
export function bucketPairs(
  records: Iterable<SignatureRecord>,
  options: MinHashOptions = {},
): [number, number][] {
  const o = resolveMinHashOptions(options);
  const first = new Map<string, number>();
  const pairs: [number, number][] = [];
  let index = 0;
  for (const record of records) {
    if (record.signature.length !== o.bands * o.rows) {
      throw new LlmError("FILE_MISMATCH", `Signature of ${record.id} has ${record.signature.length} hashes`, {
        input: record.id,
        hint: `Expected bands x rows = ${o.bands * o.rows}; compute all signatures with the same options.`,
      });
    }
    const seenWith = new Set<number>();
    for (const key of bandKeys(record.signature, o.bands, o.rows)) {
      const other = first.get(key);
      if (other === undefined) first.set(key, index);
      else if (!seenWith.has(other)) {
        seenWith.add(other);
        pairs.push([other, index]);
      }
    }
    index++;
  }
  return pairs;
}

/** Stage 3: union-find over pairs; returns, for every removed index, the index of the kept one. */
export function clusterDuplicates(
  count: number,
  pairs: Iterable<readonly [number, number]>,
): Map<number, number> {
  const parent = new Int32Array(count);
  for (let i = 0; i < count; i++) parent[i] = i;
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x] as number] as number;
      x = parent[x] as number;
    }
    return x;
  };
  for (const [a, b] of pairs) {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) {
      if (ra < rb) parent[rb] = ra;
      else parent[ra] = rb;
    }
  }
  const removed = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    const root = find(i);
    if (root !== i) removed.set(i, root);
  }
  return removed;
}

/** Stage 4: drops documents listed for removal (id -> id of the kept duplicate). */
export class MinHashRemovalFilter implements DocumentFilter {
  readonly name = "minhash_dedup";
  private readonly removals: ReadonlyMap<string, string>;

  constructor(removals: ReadonlyMap<string, string>) {
    this.removals = removals;
  }

  apply(document: Document): FilterDecision {
    const keptId = this.removals.get(document.id);
    if (keptId === undefined) return { keep: true, document };
    return { keep: false, reason: { filter: this.name, rule: "near_duplicate", value: keptId } };
  }
}

/**
 * All four stages in one pass over a single stream: a document is dropped when it shares a band
 * with any earlier document (kept or dropped), which is the cluster rule applied online.
 */
export class MinHashDedupFilter implements DocumentFilter {
  readonly name = "minhash_dedup";
  private readonly o: ResolvedMinHashOptions;
  private readonly buckets = new Map<string, string>();

  constructor(options: MinHashOptions = {}) {
    this.o = resolveMinHashOptions(options);
  }

  apply(document: Document): FilterDecision {
    const keys = bandKeys(minhashSignature(document.text, this.o), this.o.bands, this.o.rows);
    let match: string | undefined;
    for (const key of keys) {
      const other = this.buckets.get(key);
      if (other !== undefined) {
        match = other;
        break;
      }
    }
    const representative = match ?? document.id;
    for (const key of keys) if (!this.buckets.has(key)) this.buckets.set(key, representative);
    if (match === undefined) return { keep: true, document };
    return { keep: false, reason: { filter: this.name, rule: "near_duplicate", value: match } };
  }
}
