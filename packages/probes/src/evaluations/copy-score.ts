/**
 * copyScore: does the base model copy from its context? Takes validation passages, writes each
 * twice in one row ([BOS, p, p]) and measures the mean loss on the first copy (what the language
 * alone predicts) and on the second (from its second token on, copying predicts it exactly). A
 * model without induction heads scores the same on both; one that copies scores far lower on the
 * second. Every tool call and arithmetic step of SFT copies from the prompt, so the pipeline's pretrain
 * stage reports it (apps/pipeline README, "Copying"). `repeatedCopyLoss` is the second copy's loss
 * where the token before the target occurs more than once in the passage (" the", a shared "at"):
 * a copy that matches only the current token cannot tell which occurrence it is at there.
 * Reference: the repeated-sequence test of induction heads (Olsson et al. 2022).
 * Leaves out: which heads do it.
 */
import type { BatchSource } from "@llm/core";
import { InMemoryBatchSource } from "@llm/data";
import { evaluate, type GPT } from "@llm/model";

export interface CopyScore {
  /** Mean loss (nats per token) on the first copy, from its second token on. */
  firstCopyLoss: number;
  /** The same on the second copy. */
  secondCopyLoss: number;
  /**
   * The second copy's loss on the targets whose previous token occurs more than once in the
   * passage (NaN when no passage repeats a token).
   */
  repeatedCopyLoss: number;
  /** Passages measured and tokens per passage. */
  passages: number;
  passageTokens: number;
}

/**
 * Reads `batches` batches of `source` (restoring its position afterwards) and uses the first
 * seqLen/2 - 1 tokens of each row as a passage.
 */
export async function copyScore(
  model: GPT,
  source: BatchSource,
  bosId: number,
  batches = 2,
): Promise<CopyScore> {
  const start = source.position();
  const length = Math.floor(source.seqLen / 2) - 1;
  const passages: number[][] = [];
  try {
    for (let b = 0; b < batches; b++) {
      const batch = await source.next();
      for (let r = 0; r < batch.batchSize; r++) {
        const row = Array.from(batch.inputs.subarray(r * batch.seqLen, r * batch.seqLen + length));
        // a passage that crosses a document start is not one text
        if (!row.includes(bosId)) passages.push(row);
      }
    }
  } finally {
    source.restore(start);
  }
  const tokens: number[] = [];
  const first: number[] = [];
  const second: number[] = [];
  const repeated: number[] = [];
  const rows = passages.map((p) => {
    const counts = new Map<number, number>();
    for (const id of p) counts.set(id, (counts.get(id) ?? 0) + 1);
    const at = tokens.length;
    tokens.push(bosId, ...p, ...p);
    // token index i counts as a target: p[1..] of each copy
    for (let i = 0; i < 1 + 2 * length; i++) {
      first.push(i >= 2 && i <= length ? 1 : 0);
      second.push(i >= length + 2 ? 1 : 0);
      // the target p[i - length - 1] follows p[i - length - 2] in the second copy
      repeated.push(i >= length + 2 && (counts.get(p[i - length - 2] as number) ?? 0) > 1 ? 1 : 0);
    }
    return { start: at, length: 1 + 2 * length };
  });
  const lossWith = async (mask: number[]): Promise<number> => {
    const rowsSource = new InMemoryBatchSource({
      tokens,
      mask,
      rows,
      batchSize: rows.length,
      seqLen: source.seqLen,
      shuffle: false,
    });
    return (await evaluate(model, rowsSource, { batches: 1 })).loss;
  };
  if (rows.length === 0)
    return {
      firstCopyLoss: Number.NaN,
      secondCopyLoss: Number.NaN,
      repeatedCopyLoss: Number.NaN,
      passages: 0,
      passageTokens: length,
    };
  return {
    firstCopyLoss: await lossWith(first),
    secondCopyLoss: await lossWith(second),
    repeatedCopyLoss: repeated.includes(1) ? await lossWith(repeated) : Number.NaN,
    passages: rows.length,
    passageTokens: length,
  };
}
