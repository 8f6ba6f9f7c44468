/**
 * Generator: streams tokens from a GPT as an async iterator (TokenGenerator of @llm/core), with
 * temperature, top-k, top-p, stop tokens and a seed, using a KV cache (or, for comparison and
 * tests, recomputing the whole window every token). generateBatch samples n continuations of
 * one prompt that share a single prefill. Reference: nanochat's engine.py generate.
 * Leaves out: beam search, different prompts within one batch.
 */
import { type GenerateOptions, LlmError, Rng, type TokenGenerator } from "@llm/core";
import * as tf from "@tensorflow/tfjs-core";
import type { GPT } from "./gpt.js";
import { InferenceSession } from "./inference-session.js";
import { sampleToken } from "./sample-token.js";

export interface GeneratorOptions {
  /** Use the KV cache. Default true; false recomputes the last seqLen tokens every step. */
  cache?: boolean;
}

export class Generator implements TokenGenerator {
  readonly model: GPT;
  private readonly useCache: boolean;

  constructor(model: GPT, options: GeneratorOptions = {}) {
    this.model = model;
    this.useCache = options.cache ?? true;
  }

  /** Streams new token ids (stop tokens end the stream and are not emitted). Seed defaults to 0. */
  async *generate(prompt: readonly number[], options: GenerateOptions = {}): AsyncGenerator<number> {
    checkPrompt(prompt);
    const maxTokens = options.maxTokens ?? 64;
    const stop = new Set(options.stop ?? []);
    const rng = new Rng(options.seed ?? 0);
    const session = this.useCache ? new InferenceSession(this.model) : undefined;
    const context = [...prompt];
    try {
      let logits = session ? await session.feedAsync(prompt) : await this.uncachedLogits(context);
      for (let i = 0; i < maxTokens; i++) {
        const token = sampleToken(logits, options, rng);
        if (stop.has(token)) return;
        yield token;
        context.push(token);
        if (i + 1 < maxTokens)
          logits = session ? await session.feedAsync([token]) : await this.uncachedLogits(context);
        await new Promise<void>((resolve) => setImmediate(resolve)); // let consumers and timers run
      }
    } finally {
      session?.dispose();
    }
  }

  /** All tokens of `generate` as an array. */
  async generateAll(prompt: readonly number[], options: GenerateOptions = {}): Promise<number[]> {
    const out: number[] = [];
    for await (const token of this.generate(prompt, options)) out.push(token);
    return out;
  }

  /**
   * n continuations of one prompt, prefilled once and decoded as a batch. Row i samples with its
   * own Rng (seed and row index), so rows do not depend on each other's length.
   */
  async generateBatch(
    prompt: readonly number[],
    n: number,
    options: GenerateOptions = {},
  ): Promise<number[][]> {
    checkPrompt(prompt);
    const maxTokens = options.maxTokens ?? 64;
    const stop = new Set(options.stop ?? []);
    const base = new Rng(options.seed ?? 0);
    const rngs = Array.from({ length: n }, (_, i) => base.fork(`row-${i}`));
    const outputs: number[][] = Array.from({ length: n }, () => []);
    const done = new Array<boolean>(n).fill(false);
    const session = new InferenceSession(this.model);
    try {
      const first = await session.feedAsync(prompt);
      session.expand(n);
      let rows: Float32Array[] = Array.from({ length: n }, () => first);
      for (let step = 0; step < maxTokens; step++) {
        const next: number[] = [];
        for (let i = 0; i < n; i++) {
          if (done[i]) {
            next.push(0);
            continue;
          }
          const token = sampleToken(rows[i] as Float32Array, options, rngs[i] as Rng);
          if (stop.has(token)) {
            done[i] = true;
            next.push(0);
          } else {
            outputs[i]?.push(token);
            next.push(token);
          }
        }
        if (done.every(Boolean) || step + 1 === maxTokens) break;
        rows = await session.feedBatchAsync(next.map((t) => [t]));
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      session.dispose();
    }
    return outputs;
  }

  private async uncachedLogits(context: readonly number[]): Promise<Float32Array> {
    const window = context.slice(-this.model.config.seqLen);
    const V = this.model.config.vocabSize;
    const T = window.length;
    const last = tf.tidy(() => {
      const logits = this.model.forward(tf.tensor2d(Int32Array.from(window), [1, T], "int32")); // [1, T, V]
      return tf.reshape(tf.slice(logits, [0, T - 1, 0], [1, 1, V]), [V]); // [V]
    });
    try {
      return (await last.data()) as Float32Array;
    } finally {
      last.dispose();
    }
  }
}

function checkPrompt(prompt: readonly number[]): void {
  if (prompt.length === 0) {
    throw new LlmError("INVALID_ARGUMENT", "the prompt is empty", {
      hint: "Start the prompt with at least one token, e.g. the tokenizer's <|bos|> id.",
    });
  }
}
