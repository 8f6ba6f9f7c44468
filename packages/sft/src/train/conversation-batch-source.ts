/**
 * ConversationBatchSource: a BatchSource over rendered conversations for SFT. Each conversation is
 * rendered once (ids + assistant-only mask, at most seqLen + 1 tokens, oldest exchanges dropped
 * when longer; conversations that still do not fit are skipped and counted). Every epoch the
 * conversations are shuffled (seeded by epoch) and laid into rows of seqLen + 1 tokens, either one
 * per row ("pad") or packed greedily several per row without ever splitting one ("pack"); the rest
 * of a row is padding with mask 0. A row gives inputs = row[0..T-1], targets = row[1..T] and
 * mask = convMask[1..T], so the loss is sum(mask * CE) / sum(mask) over assistant tokens only.
 * The position (epoch, row) is saved in checkpoints for an exact resume.
 * Reference: nanochat's sft data loader (pad to the longest), TRL's packing.
 * Leaves out: attention masks between packed conversations (a packed conversation may attend to
 * the one before it in its row, as in TRL's default packing) and length-grouped batching.
 */
import type { Batch, BatchPosition, BatchSource, Conversation, Tokenizer } from "@llm/core";
import { LlmError, Rng } from "@llm/core";
import { renderConversation } from "../chat/render-conversation.js";

export interface ConversationBatchOptions {
  /** Rows per batch. */
  batchSize: number;
  /** Tokens per row (the model's context or less). */
  seqLen: number;
  /** "pack" (default): several conversations per row; "pad": one per row. */
  mode?: "pack" | "pad";
  /** Shuffle conversations each epoch. Default true. */
  shuffle?: boolean;
  /** Seed of the shuffle. Default 0. */
  seed?: number;
}

interface Rendered {
  ids: number[];
  mask: number[];
}

export class ConversationBatchSource implements BatchSource {
  readonly batchSize: number;
  readonly seqLen: number;
  /** Conversations that did not fit into seqLen + 1 tokens even with only their last exchange. */
  readonly skipped: number;
  private readonly rendered: Rendered[];
  private readonly options: Required<ConversationBatchOptions>;
  private readonly padId: number;
  private epoch = 0;
  private row = 0;
  private rows: Rendered[] = [];

  constructor(
    conversations: readonly Conversation[],
    tokenizer: Tokenizer,
    options: ConversationBatchOptions,
  ) {
    const { batchSize, seqLen } = options;
    if (!(Number.isInteger(batchSize) && batchSize > 0 && Number.isInteger(seqLen) && seqLen > 1)) {
      throw new LlmError(
        "INVALID_CONFIG",
        "batchSize must be a positive integer and seqLen an integer > 1.",
        {
          input: `batchSize=${batchSize}, seqLen=${seqLen}`,
          hint: "Use e.g. batchSize 8 and the model's seqLen.",
        },
      );
    }
    this.batchSize = batchSize;
    this.seqLen = seqLen;
    this.options = { mode: "pack", shuffle: true, seed: 0, ...options };
    this.padId = tokenizer.specialId("<|bos|>");
    const rendered: Rendered[] = [];
    let skipped = 0;
    for (const conversation of conversations) {
      try {
        const r = renderConversation(conversation, tokenizer, { maxTokens: seqLen + 1 });
        if (r.mask.some((m) => m === 1)) rendered.push({ ids: r.ids, mask: r.mask });
        else skipped++;
      } catch (error) {
        if (error instanceof LlmError && error.code === "INVALID_INPUT") skipped++;
        else throw error;
      }
    }
    if (rendered.length === 0) {
      throw new LlmError(
        "INVALID_INPUT",
        "No conversation fits into a row with an assistant token to learn.",
        {
          input: `${conversations.length} conversations, seqLen ${seqLen}`,
          hint: "Raise seqLen, shorten the conversations, or check that they contain assistant messages.",
        },
      );
    }
    this.rendered = rendered;
    this.skipped = skipped;
    this.rows = this.buildRows(0);
  }

  /** Conversations used (rendered and fitting). */
  get conversationCount(): number {
    return this.rendered.length;
  }

  /** Rows in one epoch (a batch holds batchSize rows). */
  get rowsPerEpoch(): number {
    return this.rows.length;
  }

  /** Share of row tokens that are trained on (mask 1), over one epoch. */
  get maskedFraction(): number {
    let on = 0;
    for (const r of this.rows) for (const m of r.mask.slice(1)) on += m;
    return on / (this.rows.length * this.seqLen);
  }

  private buildRows(epoch: number): Rendered[] {
    const order = this.rendered.map((_, i) => i);
    if (this.options.shuffle) new Rng(`sft-batches:${this.options.seed}:${epoch}`).shuffle(order);
    const width = this.seqLen + 1;
    const rows: Rendered[] = [];
    let current: Rendered = { ids: [], mask: [] };
    for (const index of order) {
      const conv = this.rendered[index] as Rendered;
      const fits = current.ids.length + conv.ids.length <= width;
      if (current.ids.length > 0 && (this.options.mode === "pad" || !fits)) {
        rows.push(current);
        current = { ids: [], mask: [] };
      }
      current.ids.push(...conv.ids);
      current.mask.push(...conv.mask);
    }
    if (current.ids.length > 0) rows.push(current);
    return rows;
  }

  async next(): Promise<Batch> {
    const B = this.batchSize;
    const T = this.seqLen;
    const inputs = new Int32Array(B * T);
    const targets = new Int32Array(B * T);
    const mask = new Float32Array(B * T);
    for (let b = 0; b < B; b++) {
      if (this.row >= this.rows.length) {
        this.epoch++;
        this.row = 0;
        this.rows = this.buildRows(this.epoch);
      }
      const row = this.rows[this.row++] as Rendered;
      for (let t = 0; t < T; t++) {
        inputs[b * T + t] = row.ids[t] ?? this.padId;
        targets[b * T + t] = row.ids[t + 1] ?? this.padId;
        mask[b * T + t] = row.mask[t + 1] ?? 0;
      }
    }
    return { inputs, targets, mask, batchSize: B, seqLen: T };
  }

  position(): BatchPosition {
    return { epoch: this.epoch, row: this.row };
  }

  restore(position: BatchPosition): void {
    const epoch = Number(position.epoch);
    const row = Number(position.row);
    if (!(Number.isInteger(epoch) && epoch >= 0 && Number.isInteger(row) && row >= 0)) {
      throw new LlmError("INVALID_INPUT", "A ConversationBatchSource position needs integer epoch and row.", {
        input: JSON.stringify(position),
        hint: "Pass the object that position() returned.",
      });
    }
    this.epoch = epoch;
    this.rows = this.buildRows(epoch);
    this.row = row;
  }
}
