/**
 * PairHeap: the lazy max-heap of BPE training. Entries are (count, tie, pair) snapshots; the
 * trainer pushes a pair whenever its count rises and, when a popped snapshot is stale, pushes
 * the current count again, so nothing is ever searched or deleted in place. Order: higher count
 * first, then lower `tie` (the trainer uses left * base + right, i.e. the smaller pair wins).
 * Reference: nanochat rustbpe (BinaryHeap of MergeJob with lazy refresh). Leaves out: decrease-key.
 */
export class PairHeap {
  private counts = new Float64Array(1024);
  private ties = new Float64Array(1024);
  private pairs = new Int32Array(1024);
  size = 0;
  /** Fields of the entry last returned by pop(). */
  topCount = 0;
  topPair = -1;

  push(count: number, tie: number, pair: number): void {
    if (this.size === this.counts.length) this.grow();
    let i = this.size++;
    const counts = this.counts;
    const ties = this.ties;
    const pairs = this.pairs;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pc = counts[parent] as number;
      if (pc > count || (pc === count && (ties[parent] as number) < tie)) break;
      counts[i] = pc;
      ties[i] = ties[parent] as number;
      pairs[i] = pairs[parent] as number;
      i = parent;
    }
    counts[i] = count;
    ties[i] = tie;
    pairs[i] = pair;
  }

  /** Removes the best entry into topCount/topPair; returns false when empty. */
  pop(): boolean {
    if (this.size === 0) return false;
    const counts = this.counts;
    const ties = this.ties;
    const pairs = this.pairs;
    this.topCount = counts[0] as number;
    this.topPair = pairs[0] as number;
    const n = --this.size;
    if (n === 0) return true;
    const count = counts[n] as number;
    const tie = ties[n] as number;
    const pair = pairs[n] as number;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n) {
        const cc = counts[child] as number;
        const rc = counts[right] as number;
        if (rc > cc || (rc === cc && (ties[right] as number) < (ties[child] as number))) child = right;
      }
      const cc = counts[child] as number;
      if (count > cc || (count === cc && tie < (ties[child] as number))) break;
      counts[i] = cc;
      ties[i] = ties[child] as number;
      pairs[i] = pairs[child] as number;
      i = child;
    }
    counts[i] = count;
    ties[i] = tie;
    pairs[i] = pair;
    return true;
  }

  private grow(): void {
    const size = this.counts.length * 2;
    const counts = new Float64Array(size);
    counts.set(this.counts);
    const ties = new Float64Array(size);
    ties.set(this.ties);
    const pairs = new Int32Array(size);
    pairs.set(this.pairs);
    this.counts = counts;
    this.ties = ties;
    this.pairs = pairs;
  }
}
