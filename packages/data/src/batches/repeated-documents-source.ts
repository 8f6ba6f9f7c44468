/**
 * RepeatedDocumentsSource: wraps a pretraining BatchSource and writes a given set of documents
 * into its rows an exact number of times each, spread over the run: the upsampled slice of a
 * pretraining mixture (Wikipedia and books seen several epochs while the web is seen once),
 * with the number of exposures fixed instead of expected. Document d with `repeats` = k gets k
 * copies, copy j on a row drawn uniformly from the j-th of k equal parts of the rows
 * [`startRow`, `totalRows`) (stratified, so the copies of one document are never bunched), a
 * row holding at most one copy (a taken row moves the copy to the next free one). A copy is
 * written at the start of its row as [BOS, ids..., BOS] with the loss on every token of it; the
 * rest of the row keeps the inner row's tokens at their positions (its loss is dropped when the
 * inner row was masked, e.g. a synthetic copy row whose spans the copy overwrote). The schedule
 * is a pure function of the options and the position holds the row counter and the inner
 * position, so a resumed run sees the same batches.
 * Reference: Carlini et al. 2022, "Quantifying Memorization Across Neural Language Models"
 * (extraction grows with the number of duplicates); Lee et al. 2022 (deduplication); the
 * upsampled sources of GPT-3's and Llama's mixtures. Leaves out: documents longer than a row
 * (crop them first) and more than one copy per row.
 */
import { type Batch, type BatchPosition, type BatchSource, LlmError, Rng } from "@llm/core";

/** One document and how many times the run should see it. */
export interface RepeatedDocument {
  /** Its token ids (no BOS: the source adds one before and after). At most seqLen - 1 ids. */
  ids: readonly number[];
  /** Copies written over the run (0 = never, which is what held-out documents get). */
  repeats: number;
}

export interface RepeatedDocumentsOptions {
  documents: readonly RepeatedDocument[];
  /** Rows the run will draw (steps x batch size): the copies are spread over [startRow, totalRows). */
  totalRows: number;
  /** First row a copy may take, e.g. after a warm-up of synthetic rows. Default 0. */
  startRow?: number;
  /** The BOS id written before and after every copy. */
  bosId: number;
  /** Seed of the rows the copies take. Default 0. */
  seed?: number | string;
}

export class RepeatedDocumentsSource implements BatchSource {
  private row = 0;
  /** Row index -> index of the document copied there. */
  private readonly schedule: Map<number, number>;

  constructor(
    private readonly inner: BatchSource,
    private readonly options: RepeatedDocumentsOptions,
  ) {
    const start = options.startRow ?? 0;
    const copies = options.documents.reduce((sum, d) => sum + d.repeats, 0);
    const longest = Math.max(0, ...options.documents.map((d) => d.ids.length));
    const repeatsValid = options.documents.every((d) => Number.isInteger(d.repeats) && d.repeats >= 0);
    if (
      !repeatsValid ||
      !Number.isInteger(start) ||
      start < 0 ||
      !Number.isInteger(options.totalRows) ||
      copies > options.totalRows - start
    ) {
      throw new LlmError(
        "INVALID_CONFIG",
        "repeated documents need integer repeats >= 0 and at most one copy per row of [startRow, totalRows)",
        {
          input: `copies=${copies}, startRow=${start}, totalRows=${options.totalRows}`,
          hint: "Repeat fewer documents, fewer times, or train on more rows.",
        },
      );
    }
    if (longest > inner.seqLen - 1 || options.documents.some((d) => d.ids.length === 0)) {
      throw new LlmError("INVALID_INPUT", "a repeated document must have 1 to seqLen - 1 tokens", {
        input: `longest=${longest}, seqLen=${inner.seqLen}`,
        hint: "Crop the documents to seqLen - 1 tokens (a copy is [BOS, ids..., BOS] inside one row).",
      });
    }
    this.schedule = scheduleCopies(options.documents, start, options.totalRows, options.seed ?? 0);
  }

  get batchSize(): number {
    return this.inner.batchSize;
  }

  get seqLen(): number {
    return this.inner.seqLen;
  }

  /** The rows each document's copies take (row = step x batchSize + row in the batch), in order. */
  rowsOf(document: number): number[] {
    const rows: number[] = [];
    for (const [row, d] of this.schedule) if (d === document) rows.push(row);
    return rows.sort((a, b) => a - b);
  }

  async next(): Promise<Batch> {
    const batch = await this.inner.next();
    const B = batch.batchSize;
    const T = batch.seqLen;
    const first = this.row;
    this.row += B;
    const here: Array<[number, number]> = [];
    for (let b = 0; b < B; b++) {
      const d = this.schedule.get(first + b);
      if (d !== undefined) here.push([b, d]);
    }
    if (here.length === 0) return batch;
    const inputs = Int32Array.from(batch.inputs);
    const targets = Int32Array.from(batch.targets);
    const mask = batch.mask ? Float32Array.from(batch.mask) : new Float32Array(B * T).fill(1);
    const bos = this.options.bosId;
    for (const [b, d] of here) {
      const ids = (this.options.documents[d] as RepeatedDocument).ids;
      const row = b * T;
      const masked = mask.subarray(row, row + T).some((m) => m !== 1);
      // sequence [BOS, ids..., BOS, inner tokens from position ids.length + 2 on]
      const copy = [bos, ...ids, bos];
      for (let t = 0; t < T; t++) {
        if (t < copy.length) inputs[row + t] = copy[t] as number;
        if (t + 1 < copy.length) {
          targets[row + t] = copy[t + 1] as number;
          mask[row + t] = 1;
        } else if (masked) {
          mask[row + t] = 0;
        }
      }
    }
    return { inputs, targets, mask, batchSize: B, seqLen: T };
  }

  position(): BatchPosition {
    return { row: this.row, inner: this.inner.position() };
  }

  restore(position: BatchPosition): void {
    const row = position.row;
    if (typeof row !== "number" || !Number.isInteger(row) || row < 0 || typeof position.inner !== "object") {
      throw new LlmError("FILE_MISMATCH", "not a RepeatedDocumentsSource position", {
        input: JSON.stringify(position).slice(0, 200),
        hint: "Resume with the same pretraining config that wrote the checkpoint.",
      });
    }
    this.inner.restore(position.inner as BatchPosition);
    this.row = row;
  }
}

/** Stratified rows for every copy, one copy per row; a taken row passes the copy to the next free one. */
function scheduleCopies(
  documents: readonly RepeatedDocument[],
  start: number,
  end: number,
  seed: number | string,
): Map<number, number> {
  const rng = new Rng(`repeated-documents:${String(seed)}`);
  const span = end - start;
  const schedule = new Map<number, number>();
  // most-repeated first, so the strata of frequent documents are the least disturbed
  const repeats = documents.map((d) => d.repeats);
  const order = repeats
    .map((_, i) => i)
    .sort((a, b) => (repeats[b] as number) - (repeats[a] as number) || a - b);
  for (const d of order) {
    const k = (documents[d] as RepeatedDocument).repeats;
    for (let j = 0; j < k; j++) {
      let row = start + Math.floor(((j + rng.next()) * span) / k);
      while (schedule.has(row)) row = row + 1 >= end ? start : row + 1;
      schedule.set(row, d);
    }
  }
  return schedule;
}
