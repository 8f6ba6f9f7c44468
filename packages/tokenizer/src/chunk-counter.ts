/**
 * ChunkCounter: counts substrings of documents without creating a string per occurrence. An
 * open-addressing hash table keyed by an FNV-1a hash of the chunk's UTF-16 code units; a new
 * chunk is sliced out of its document once, repeats only bump a count. About three times
 * faster than `Map.get/set(text.slice(...))` for pre-split counting, where most chunks repeat.
 * Reference: FNV-1a (Fowler, Noll, Vo), linear probing. Leaves out: deletion.
 */
export class ChunkCounter {
  private keys: (string | undefined)[] = new Array(1 << 16);
  private hashes = new Int32Array(1 << 16);
  private counts = new Float64Array(1 << 16);
  private mask = (1 << 16) - 1;
  size = 0;

  /** Counts one occurrence of text[start..end). */
  add(text: string, start: number, end: number): void {
    let hash = 0x811c9dc5 | 0;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
    const length = end - start;
    let slot = hash & this.mask;
    for (;;) {
      const key = this.keys[slot];
      if (key === undefined) break;
      if (this.hashes[slot] === hash && key.length === length) {
        let same = true;
        for (let i = 0; i < length; i++) {
          if (key.charCodeAt(i) !== text.charCodeAt(start + i)) {
            same = false;
            break;
          }
        }
        if (same) {
          this.counts[slot] = (this.counts[slot] as number) + 1;
          return;
        }
      }
      slot = (slot + 1) & this.mask;
    }
    this.keys[slot] = text.slice(start, end);
    this.hashes[slot] = hash;
    this.counts[slot] = 1;
    if (++this.size * 2 > this.mask) this.grow();
  }

  /** The counts as a Map (chunk -> occurrences), in table order. */
  toMap(into: Map<string, number> = new Map()): Map<string, number> {
    for (let slot = 0; slot <= this.mask; slot++) {
      const key = this.keys[slot];
      if (key !== undefined) into.set(key, (into.get(key) ?? 0) + (this.counts[slot] as number));
    }
    return into;
  }

  private grow(): void {
    const keys = this.keys;
    const hashes = this.hashes;
    const counts = this.counts;
    const capacity = keys.length * 2;
    this.keys = new Array(capacity);
    this.hashes = new Int32Array(capacity);
    this.counts = new Float64Array(capacity);
    this.mask = capacity - 1;
    for (let old = 0; old < keys.length; old++) {
      const key = keys[old];
      if (key === undefined) continue;
      let slot = (hashes[old] as number) & this.mask;
      while (this.keys[slot] !== undefined) slot = (slot + 1) & this.mask;
      this.keys[slot] = key;
      this.hashes[slot] = hashes[old] as number;
      this.counts[slot] = counts[old] as number;
    }
  }
}
