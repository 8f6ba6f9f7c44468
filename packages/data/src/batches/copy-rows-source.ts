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
 * With `counted`, that share of the copy rows are counted copies instead: a run of 5-15 words of
 * the row's own text, a separator, then the same words each followed by its running number
 * (" the 1 cat 2 sat 3 ...") and the separator again, the loss on the counted copy and its end.
 * That is the word-counting steps' format on the corpus's own words (real repeats, words cut
 * into several tokens), so the heads that find the next word after a number meet it in
 * pretraining, not only in SFT's word-count rows. Which ids start or continue a word and how each
 * number is written come from the tokenizer (`CountedCopyTokens`); this file reads only ids.
 * Reference: induction heads and repeated random tokens (Olsson et al. 2022); synthetic
 * curricula for small transformers. Leaves out: spans drawn from the corpus's unigram
 * distribution without its order (a text span keeps the corpus's order and repeats); counted
 * copies across punctuation (a run of words stops at any token that is no word piece).
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
  /**
   * Counted copies of the row's own words (see the file comment): the chance that a copy row is
   * one, and the tokenizer's word and number ids. Default: none (every copy row as above).
   */
  counted?: CountedCopyOptions;
}

/** The tokenizer's side of a counted copy: which ids are word pieces and how numbers are written. */
export interface CountedCopyTokens {
  /** Per token id: 1 if it starts a word (a space, then letters), 2 if it continues one (letters only), else 0. */
  wordRole: ArrayLike<number>;
  /** numberIds[k]: the ids of the running number k (" k"), for k = 1 .. maxWords at least. */
  numberIds: ReadonlyArray<readonly number[]>;
  /** The ids between the text and its counted copy, and after the copy (a newline). */
  separatorIds: readonly number[];
}

export interface CountedCopyOptions {
  /** Chance that a copy row is a counted copy (0-1). */
  share: number;
  tokens: CountedCopyTokens;
  /** Fewest and most words of a counted run. Default 5 and 15. */
  minWords?: number;
  maxWords?: number;
  /**
   * The first batch with counted copies (earlier copy rows are all plain). Counted copies from
   * the start keep the induction heads from forming (a base model whose second copy is no better
   * than its first); after the plain copy rows' warm-up they build on them. Default 0.
   */
  fromStep?: number;
}

export class CopyRowsSource implements BatchSource {
  private step = 0;
  private readonly warmupSteps: number;
  private readonly share: number;
  private readonly minSpan: number;
  private readonly maxSpan: number;
  private readonly textShare: number;
  private readonly minWords: number;
  private readonly maxWords: number;

  constructor(
    private readonly inner: BatchSource,
    private readonly options: CopyRowsOptions,
  ) {
    this.warmupSteps = options.warmupSteps ?? 0;
    this.share = options.share ?? 0.1;
    this.minSpan = options.minSpan ?? 6;
    this.maxSpan = options.maxSpan ?? 30;
    this.textShare = options.textShare ?? 0;
    this.minWords = options.counted?.minWords ?? 5;
    this.maxWords = options.counted?.maxWords ?? 15;
    const counted = options.counted;
    if (
      counted &&
      !(
        counted.share >= 0 &&
        counted.share <= 1 &&
        Number.isInteger(this.minWords) &&
        Number.isInteger(this.maxWords) &&
        this.minWords >= 1 &&
        this.maxWords >= this.minWords &&
        counted.tokens.numberIds.length > this.maxWords &&
        counted.tokens.separatorIds.length > 0
      )
    ) {
      throw new LlmError(
        "INVALID_CONFIG",
        "counted copy rows need 0 <= share <= 1, 1 <= minWords <= maxWords, numberIds up to maxWords and a separator",
        {
          input: `share=${counted.share}, minWords=${this.minWords}, maxWords=${this.maxWords}, numbers=${counted.tokens.numberIds.length - 1}, separator=${counted.tokens.separatorIds.length} ids`,
          hint: "Use e.g. { share: 0.5, minWords: 5, maxWords: 15 } with the ids of the run's tokenizer (numberIds[1..maxWords]).",
        },
      );
    }
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
    for (let b = 0; b < B; b++) if (replace[b]) this.writeRow(rng, inputs, targets, mask, b, T, step);
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
    step: number,
  ): void {
    const counted = this.options.counted;
    const text = this.textShare > 0 || counted ? Array.from(inputs.subarray(b * T, (b + 1) * T)) : [];
    if (
      counted &&
      step >= (counted.fromStep ?? 0) &&
      rng.next() < counted.share &&
      this.writeCountedRow(rng, text, inputs, targets, mask, b, T)
    )
      return;
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

  /**
   * Row b := [BOS, text, sep, w1 1 w2 2 ... wn n, sep, text', ...]: runs of the row's own words,
   * each followed by its counted copy, mask 1 on the counted copy and the separator after it.
   * False (the row untouched) when the text has no run of minWords words.
   */
  private writeCountedRow(
    rng: Rng,
    text: number[],
    inputs: Int32Array,
    targets: Int32Array,
    mask: Float32Array,
    b: number,
    T: number,
  ): boolean {
    const tokens = (this.options.counted as CountedCopyOptions).tokens;
    const runs = wordRuns(text, tokens.wordRole, this.minWords);
    if (runs.length === 0) return false;
    const row: number[] = [this.options.bosId];
    const weight: number[] = [0];
    const put = (ids: readonly number[], w: number) => {
      for (const id of ids) {
        row.push(id);
        weight.push(w);
      }
    };
    while (row.length < T + 1) {
      const run = runs[rng.int(runs.length)] as number[][];
      const n = Math.min(run.length, rng.range(this.minWords, this.maxWords));
      const first = rng.int(run.length - n + 1);
      const words = run.slice(first, first + n);
      put(words.flat(), 0);
      put(tokens.separatorIds, 0);
      for (const [k, word] of words.entries()) put([...word, ...(tokens.numberIds[k + 1] as number[])], 1);
      put(tokens.separatorIds, 1);
    }
    for (let t = 0; t < T; t++) {
      inputs[b * T + t] = row[t] as number;
      targets[b * T + t] = row[t + 1] as number;
      mask[b * T + t] = weight[t + 1] as number;
    }
    return true;
  }
}

/** The runs of at least minWords whole words in ids (a word: a starting piece, then continuing pieces). */
export function wordRuns(
  ids: readonly number[],
  wordRole: ArrayLike<number>,
  minWords: number,
): number[][][] {
  const runs: number[][][] = [];
  let run: number[][] = [];
  const close = () => {
    // the last word may be cut by the row's end or go on past a continuing piece we dropped
    if (run.length >= minWords) runs.push(run);
    run = [];
  };
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number;
    const role = wordRole[id] ?? 0;
    if (role === 1) run.push([id]);
    else if (role === 2 && run.length > 0) (run[run.length - 1] as number[]).push(id);
    else close();
  }
  // a run at the row's end may stop inside its last word: drop that word
  if (run.length > 0) run.pop();
  close();
  return runs;
}
