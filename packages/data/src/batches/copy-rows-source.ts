/**
 * CopyRowsSource: wraps a pretraining BatchSource and replaces some of its rows with synthetic
 * copy rows: random token spans written two or three times, with the loss only on the repeats
 * (which nothing but copying can predict). Every row is replaced for the first `warmupSteps`
 * batches, then each row with probability `share`. This is a curriculum for the induction heads
 * that every "copy from the prompt" skill needs (the word into a tool call, an operand into an
 * arithmetic step, a name into a refusal): on natural text alone a 1M-parameter model does not
 * form them within a few hundred steps; with these rows it does (apps/pipeline README, "Copying").
 * Batches are a pure function of (seed, step, the inner batch), and `position()` holds the step
 * and the inner position, so a resumed run sees the same batches.
 * With `textShare`, that share of the spans is a window of the replaced row's own text instead of
 * uniform tokens: real text repeats its tokens (" the", "at" of cat/sat/mat, ","), so a copy that
 * matches only the current token loses its place, and the model has to use the tokens before it
 * (the smeared keys' previous token) to find which occurrence it is at. Word counting ("the cat
 * sat on the mat" -> " the 1 cat 2" and a stop: the "at" of "mat" ends the text) needs exactly that.
 * Reference: induction heads and repeated random tokens (Olsson et al. 2022); synthetic
 * curricula for small transformers. Leaves out: spans drawn from the corpus's unigram
 * distribution without its order (a text span keeps the corpus's order and repeats).
 */
import { type Batch, type BatchPosition, type BatchSource, LlmError, Rng } from "@llm/core";

export interface CopyRowsOptions {
  /** Batches at the start whose every row is a copy row. Default 0. */
  warmupSteps?: number;
  /** After the warm-up, the chance that a row is a copy row. Default 0.1. */
  share?: number;
  /** Ids of the spans are drawn uniformly from [0, vocabSize): pass the ordinary (non-special) vocabulary size. */
  vocabSize: number;
  /** The id every copy row starts with (BOS). */
  bosId: number;
  /** Shortest and longest span, in tokens. Default 6 and 30. */
  minSpan?: number;
  maxSpan?: number;
  /** Seed of the spans and of which rows are replaced. Default 0. */
  seed?: number | string;
  /**
   * Chance that a span is a window of the replaced row's own (natural) tokens rather than uniform
   * ids, so that copies meet repeated tokens as real text has them. Default 0 (every span uniform).
   */
  textShare?: number;
}

export class CopyRowsSource implements BatchSource {
  private step = 0;
  private readonly warmupSteps: number;
  private readonly share: number;
  private readonly minSpan: number;
  private readonly maxSpan: number;
  private readonly textShare: number;

  constructor(
    private readonly inner: BatchSource,
    private readonly options: CopyRowsOptions,
  ) {
    this.warmupSteps = options.warmupSteps ?? 0;
    this.share = options.share ?? 0.1;
    this.minSpan = options.minSpan ?? 6;
    this.maxSpan = options.maxSpan ?? 30;
    this.textShare = options.textShare ?? 0;
    const valid =
      Number.isInteger(this.warmupSteps) &&
      this.warmupSteps >= 0 &&
      this.share >= 0 &&
      this.share <= 1 &&
      this.textShare >= 0 &&
      this.textShare <= 1 &&
      Number.isInteger(this.minSpan) &&
      Number.isInteger(this.maxSpan) &&
      this.minSpan >= 2 &&
      this.maxSpan >= this.minSpan &&
      Number.isInteger(options.vocabSize) &&
      options.vocabSize >= 2;
    if (!valid) {
      throw new LlmError(
        "INVALID_CONFIG",
        "copy rows need 0 <= share <= 1, 0 <= textShare <= 1, 2 <= minSpan <= maxSpan and vocabSize >= 2",
        {
          input: `warmupSteps=${this.warmupSteps}, share=${this.share}, textShare=${this.textShare}, minSpan=${this.minSpan}, maxSpan=${this.maxSpan}, vocabSize=${options.vocabSize}`,
          hint: "Use e.g. { warmupSteps: 100, share: 0.1, textShare: 0.5, minSpan: 6, maxSpan: 30 } and the tokenizer's ordinary vocabulary size.",
        },
      );
    }
  }

  get batchSize(): number {
    return this.inner.batchSize;
  }

  get seqLen(): number {
    return this.inner.seqLen;
  }

  async next(): Promise<Batch> {
    const step = this.step++;
    const batch = await this.inner.next();
    const rng = new Rng(`copy-rows:${this.options.seed ?? 0}:${step}`);
    const B = batch.batchSize;
    const T = batch.seqLen;
    const replace = Array.from({ length: B }, () => step < this.warmupSteps || rng.next() < this.share);
    if (!replace.includes(true)) return batch;
    const inputs = Int32Array.from(batch.inputs);
    const targets = Int32Array.from(batch.targets);
    const mask = batch.mask ? Float32Array.from(batch.mask) : new Float32Array(B * T).fill(1);
    for (let b = 0; b < B; b++) if (replace[b]) this.writeRow(rng, inputs, targets, mask, b, T);
    return { inputs, targets, mask, batchSize: B, seqLen: T };
  }

  position(): BatchPosition {
    return { step: this.step, inner: this.inner.position() };
  }

  restore(position: BatchPosition): void {
    const step = position.step;
    if (
      typeof step !== "number" ||
      !Number.isInteger(step) ||
      step < 0 ||
      typeof position.inner !== "object"
    ) {
      throw new LlmError("FILE_MISMATCH", "not a CopyRowsSource position", {
        input: JSON.stringify(position).slice(0, 200),
        hint: "Resume with the same pretraining config that wrote the checkpoint.",
      });
    }
    this.inner.restore(position.inner as BatchPosition);
    this.step = step;
  }

  /**
   * Row b := [BOS, s, s, (s), t, t, ...]: mask 1 on every token of a repeat after its first. A text
   * span is `length` tokens of row b's own inputs (read before the row is overwritten).
   */
  private writeRow(
    rng: Rng,
    inputs: Int32Array,
    targets: Int32Array,
    mask: Float32Array,
    b: number,
    T: number,
  ): void {
    const text = this.textShare > 0 ? Array.from(inputs.subarray(b * T, (b + 1) * T)) : [];
    const row: number[] = [this.options.bosId];
    const weight: number[] = [0];
    while (row.length < T + 1) {
      const length = rng.range(this.minSpan, this.maxSpan);
      const fromText = this.textShare > 0 && length <= T && rng.next() < this.textShare;
      const at = fromText ? rng.int(T - length + 1) : 0;
      const span = fromText
        ? text.slice(at, at + length)
        : Array.from({ length }, () => rng.int(this.options.vocabSize));
      const copies = rng.range(2, 3);
      for (let c = 0; c < copies; c++) {
        for (let i = 0; i < length; i++) {
          row.push(span[i] as number);
          // a repeat's first token follows the previous span's end: not yet predictable
          weight.push(c > 0 && i > 0 ? 1 : 0);
        }
      }
    }
    for (let t = 0; t < T; t++) {
      inputs[b * T + t] = row[t] as number;
      targets[b * T + t] = row[t + 1] as number;
      mask[b * T + t] = weight[t + 1] as number;
    }
  }
}
