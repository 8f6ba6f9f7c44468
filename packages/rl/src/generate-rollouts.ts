/**
 * generateRollouts: samples G completions per prompt with a KV cache, running tool calls, and
 * records for every completion token whether the model sampled it (with its sampling log-prob) or
 * the engine forced it (tool output between <|output_start|> and <|output_end|>). Prompts of equal
 * length share one batched prefill; every completion of a bucket then advances one token per
 * forward pass (a forced token takes the place of a sampled one, so rows stay aligned), and
 * finished rows leave the batch. Follows @llm/engine's SftChatEngine protocol (tool call closed ->
 * sandbox -> renderToolOutput forced -> generation continues; the same tool-call cap) on a batch
 * of rows, through GPT.run's KV cache (the primitive under @llm/model's InferenceSession), and
 * keeps what the chat engine does not expose: each sampled token's log-prob.
 * With a logitsFilter (constrained decoding, e.g. wordStepFilter: the chat engine's wordStepGuard)
 * each sampled token is drawn from the filtered logits, and its recorded log-prob is the one under
 * that filtered distribution; the ids it kept are recorded for GrpoConfig.filteredLoss (by default
 * the loss recomputes log-probs with the plain model, as TRL does with vLLM's guided decoding).
 * Reference: nanochat's Engine.generate (row states with forced-token queues), TRL's rollouts,
 * vLLM's logits processors.
 * Leaves out: left-padded batching of prompts of different lengths, speculative decoding.
 */

import { LlmError, Rng, type Task, type Tokenizer } from "@llm/core";
import { renderToolOutput } from "@llm/sft";
import * as tf from "@tensorflow/tfjs-core";
import { greedyWithLogProb, sampleWithLogProb } from "./sample-with-log-prob.js";

/**
 * Per-layer keys/values [B, nh, T, hs], the cache format of @llm/model's GPT.run (lastKeys: the
 * last raw key [B, nh, 1, hs] per layer, for models with smeared keys).
 */
export interface KvCache {
  keys: tf.Tensor4D[];
  values: tf.Tensor4D[];
  lastKeys?: tf.Tensor4D[];
}

/** What rollouts need from a model: @llm/model's GPT satisfies it. */
export interface PolicyModel {
  readonly config: Readonly<{ vocabSize: number; seqLen: number }>;
  /** One forward pass over ids [B, T] at positions [start, start+T) attending to `past`: logits [B*T, V] and the cache after it (past + these T positions). */
  run(ids: tf.Tensor2D, start: number, past?: KvCache): { logits: tf.Tensor2D; kv: KvCache };
}

/** Runs the code of a tool call (e.g. @llm/engine's ToolSandbox). */
export interface ToolRunner {
  run(code: string): Promise<{ output: string; isError: boolean }>;
}

export interface RolloutPrompt {
  task: Task;
  /** Rendered prompt ids ending with <|assistant_start|> (see @llm/sft's renderPrompt). */
  ids: readonly number[];
}

/** What a logits filter sees of one row at one sampling step. */
export interface LogitsFilterContext {
  /** The row's prompt (its task and rendered ids). */
  prompt: RolloutPrompt;
  /** The completion so far (sampled and forced ids), not including the token about to be drawn. */
  completionIds: readonly number[];
}

/**
 * Constrained decoding for rollouts: given one row's next-token logits (length V, not to be
 * modified) returns them with the forbidden tokens at -Infinity, or the same array when nothing is
 * forbidden. At least one token must stay finite.
 */
export type RolloutLogitsFilter = (logits: Float32Array, context: LogitsFilterContext) => Float32Array;

export interface RolloutOptions {
  /** Completions per prompt. */
  groupSize: number;
  /** Cap on sampled tokens per completion (forced tool output does not count). */
  maxNewTokens: number;
  /** Sampling temperature (> 0). Default 1. */
  temperature?: number;
  /** Top-k sampling; 0 disables. Default 0. */
  topK?: number;
  /**
   * The first this many completions of each group take the most likely token at every step
   * (greedy decoding) instead of sampling; their log-prob is still the one under the sampling
   * distribution. Default 0.
   */
  greedyPerGroup?: number;
  /** Runs tool calls; without it a closed tool call gets no output and generation continues. */
  tools?: ToolRunner;
  /** Cap on tool calls per completion; the next call ends it with reason "tool_limit". Default 4. */
  maxToolCalls?: number;
  /** Seed of the sampling RNG. Default 0. */
  seed?: number;
  /** An RNG to draw from instead of a fresh one seeded with `seed` (advanced in place). */
  rng?: Rng;
  /**
   * Masks tokens before every sampled (or greedy) token, as the chat engine's decoding guards do
   * (e.g. wordStepFilter). The token is drawn from the filtered distribution and
   * `samplingLogProbs` holds its log-prob under it (renormalised over the tokens left), so a row
   * samples exactly what a guarded chat would. Forced tool output is never filtered. Default: none.
   */
  logitsFilter?: RolloutLogitsFilter;
}

export type FinishReason = "stop" | "length" | "tool_limit";

export interface Rollout {
  task: Task;
  /** Index of the prompt in the call's `prompts`. */
  promptIndex: number;
  promptIds: readonly number[];
  /** Every id after the prompt: sampled ones and forced tool output, with <|assistant_end|> when it stopped. */
  completionIds: number[];
  /** 1 where the model sampled the id, 0 where the engine forced it (tool output). */
  generatedMask: number[];
  /** Log-prob of each sampled id under the sampling distribution (after logitsFilter, when given); 0 at forced ids. */
  samplingLogProbs: number[];
  /** Sampled ids whose distribution the logitsFilter changed (0 without a filter). */
  filteredTokens: number;
  /**
   * With a logitsFilter: per completion id, the ids the filter kept (finite logits) where it changed
   * the distribution, undefined elsewhere (unfiltered and forced ids). Absent without a filter.
   */
  filterKept?: (Int32Array | undefined)[];
  /** "stop" (<|assistant_end|>), "length" (maxNewTokens or the context filled) or "tool_limit". */
  finishReason: FinishReason;
  /** The assistant's turn as text, tool calls and outputs included as special-token text, without <|assistant_end|>. */
  text: string;
  /** Tool calls run. */
  toolCalls: number;
}

interface RowState {
  prompt: number;
  /** Takes the most likely token instead of sampling. */
  greedy: boolean;
  ids: number[];
  mask: number[];
  logProbs: number[];
  forced: number[];
  sampled: number;
  filtered: number;
  /** The kept ids of each filtered completion id (with a logitsFilter). */
  kept: (Int32Array | undefined)[];
  toolCalls: number;
  codeStart: number;
  done: FinishReason | undefined;
}

function disposeCache(cache: KvCache): void {
  for (const t of cache.keys) t.dispose();
  for (const t of cache.values) t.dispose();
  for (const t of cache.lastKeys ?? []) t.dispose();
}

/** tf.tidy for a function returning an object of tensors (a cache's optional fields included). */
function tidyObject<T>(fn: () => T): T {
  return tf.tidy(fn as unknown as () => tf.TensorContainer) as unknown as T;
}

/** gather of every cache tensor along the batch axis. */
function gatherCache(cache: KvCache, rows: tf.Tensor1D): KvCache {
  const pick = (t: tf.Tensor4D) => tf.gather(t, rows) as tf.Tensor4D; // [rows, nh, T, hs]
  const out: KvCache = { keys: cache.keys.map(pick), values: cache.values.map(pick) };
  if (cache.lastKeys !== undefined) out.lastKeys = cache.lastKeys.map(pick);
  return out;
}

/** Samples `groupSize` completions for each prompt; returns them prompt after prompt (groupSize each). */
export async function generateRollouts(
  model: PolicyModel,
  tokenizer: Tokenizer,
  prompts: readonly RolloutPrompt[],
  options: RolloutOptions,
): Promise<Rollout[]> {
  const temperature = options.temperature ?? 1;
  const topK = options.topK ?? 0;
  const greedy = options.greedyPerGroup ?? 0;
  const maxToolCalls = options.maxToolCalls ?? 4;
  const rng = options.rng ?? new Rng(options.seed ?? 0);
  const G = options.groupSize;
  const seqLen = model.config.seqLen;
  const special = {
    end: tokenizer.specialId("<|assistant_end|>"),
    pyStart: tokenizer.specialId("<|python_start|>"),
    pyEnd: tokenizer.specialId("<|python_end|>"),
  };
  if (!Number.isInteger(G) || G < 1 || !Number.isInteger(options.maxNewTokens) || options.maxNewTokens < 1) {
    throw new LlmError("INVALID_ARGUMENT", "groupSize and maxNewTokens must be positive integers.", {
      input: `groupSize=${G}, maxNewTokens=${options.maxNewTokens}`,
      hint: "pass e.g. groupSize 8 and maxNewTokens 64.",
    });
  }
  if (!(temperature > 0)) {
    throw new LlmError("INVALID_ARGUMENT", "Rollouts sample: temperature must be > 0.", {
      input: `temperature=${temperature}`,
      hint: "use temperature 1, or topK 1 for greedy decoding.",
    });
  }
  if (tokenizer.vocabSize > model.config.vocabSize) {
    throw new LlmError("FILE_MISMATCH", "The tokenizer has more ids than the model's vocabulary.", {
      input: `tokenizer ${tokenizer.vocabSize}, model ${model.config.vocabSize}`,
      hint: "use the tokenizer the model was trained with.",
    });
  }
  prompts.forEach((p, i) => {
    if (p.ids.length === 0 || p.ids.length >= seqLen) {
      throw new LlmError(
        "INVALID_INPUT",
        `Prompt ${i} has ${p.ids.length} tokens; it needs 1..${seqLen - 1}.`,
        {
          input: `task ${p.task.id}`,
          hint: "Shorten the prompt or use a model with a longer context.",
        },
      );
    }
  });
  const rows: RowState[] = [];
  for (let p = 0; p < prompts.length; p++) {
    for (let g = 0; g < G; g++) {
      rows.push({
        prompt: p,
        greedy: g < greedy,
        ids: [],
        mask: [],
        logProbs: [],
        forced: [],
        sampled: 0,
        filtered: 0,
        kept: [],
        toolCalls: 0,
        codeStart: -1,
        done: undefined,
      });
    }
  }
  // Buckets of prompts with equal length share the prefill.
  const buckets = new Map<number, number[]>();
  prompts.forEach((p, i) => {
    buckets.set(p.ids.length, [...(buckets.get(p.ids.length) ?? []), i]);
  });

  for (const [promptLength, promptIndices] of buckets) {
    // Prefill: [k, P] -> logits of the last position of each prompt, cache repeated G times per prompt.
    const rowIndex = promptIndices.flatMap((p) => Array.from({ length: G }, (_, g) => p * G + g));
    let { logits, cache } = tidyObject(() => {
      const ids = tf.tensor2d(
        promptIndices.flatMap((p) => [...(prompts[p] as RolloutPrompt).ids]),
        [promptIndices.length, promptLength],
        "int32",
      ); // [k, P]
      const out = model.run(ids, 0);
      const V = out.logits.shape[1];
      const last = tf.reshape(out.logits, [promptIndices.length, promptLength, V]); // [k, P, V]
      const lastLogits = tf.reshape(tf.slice(last, [0, promptLength - 1, 0], [promptIndices.length, 1, V]), [
        promptIndices.length,
        V,
      ]); // [k, V]
      const repeat = tf.tensor1d(
        promptIndices.flatMap((_, j) => Array.from({ length: G }, () => j)),
        "int32",
      ); // [k*G]
      return {
        logits: tf.gather(lastLogits, repeat) as tf.Tensor2D, // [k*G, V]
        cache: gatherCache(out.kv, repeat), // [k*G, nh, P, hs]
      };
    });
    let active = rowIndex; // rows (indices into `rows`) in the batch, in batch order
    let position = promptLength;
    try {
      for (;;) {
        const logitRows = (await logits.data()) as Float32Array;
        const V = logits.shape[1];
        const next: number[] = [];
        for (let b = 0; b < active.length; b++) {
          const row = rows[active[b] as number] as RowState;
          let id: number;
          const forced = row.forced.shift();
          if (forced !== undefined) {
            id = forced;
            row.ids.push(id);
            row.mask.push(0);
            row.logProbs.push(0);
            row.kept.push(undefined);
            if (row.forced.length === 0 && row.sampled >= options.maxNewTokens) row.done = "length";
          } else {
            let rowLogits = logitRows.subarray(b * V, (b + 1) * V);
            let kept: Int32Array | undefined;
            if (options.logitsFilter !== undefined) {
              const prompt = prompts[row.prompt] as RolloutPrompt;
              const filtered = options.logitsFilter(rowLogits, { prompt, completionIds: row.ids });
              if (filtered !== rowLogits) {
                if (filtered.length !== V || !filtered.some((x) => x > Number.NEGATIVE_INFINITY)) {
                  throw new LlmError(
                    "INVALID_ARGUMENT",
                    "The rollouts' logitsFilter left no token to sample.",
                    {
                      input: `task ${prompt.task.id}, ${row.ids.length} completion ids, filter output length ${filtered.length} (vocabulary ${V})`,
                      hint: "return the logits unchanged when every token would be masked.",
                    },
                  );
                }
                rowLogits = filtered;
                row.filtered++;
                const keep: number[] = [];
                filtered.forEach((x, i) => {
                  if (x > Number.NEGATIVE_INFINITY) keep.push(i);
                });
                kept = Int32Array.from(keep);
              }
            }
            const s = row.greedy
              ? greedyWithLogProb(rowLogits, temperature)
              : sampleWithLogProb(rowLogits, temperature, topK, rng);
            id = s.id;
            row.ids.push(id);
            row.mask.push(1);
            row.logProbs.push(s.logProb);
            row.kept.push(kept);
            row.sampled++;
            if (id === special.end) {
              row.done = "stop";
            } else if (id === special.pyStart) {
              row.codeStart = row.ids.length;
            } else if (id === special.pyEnd && row.codeStart >= 0) {
              const code = tokenizer.decode(row.ids.slice(row.codeStart, row.ids.length - 1));
              row.codeStart = -1;
              if (options.tools !== undefined) {
                if (row.toolCalls >= maxToolCalls) {
                  row.done = "tool_limit";
                } else {
                  row.toolCalls++;
                  const result = await options.tools.run(code);
                  row.forced.push(...renderToolOutput(result.output, tokenizer));
                }
              }
            }
            if (row.done === undefined && row.sampled >= options.maxNewTokens && row.forced.length === 0) {
              row.done = "length";
            }
          }
          if (row.done === undefined && promptLength + row.ids.length >= seqLen) row.done = "length";
          next.push(id);
        }
        const keep = active
          .map((r, b) => ((rows[r] as RowState).done === undefined ? b : -1))
          .filter((b) => b >= 0);
        if (keep.length === 0) break;
        const step = tidyObject(() => {
          const keepIdx = tf.tensor1d(keep, "int32");
          const ids = tf.tensor2d(
            keep.map((b) => next[b] as number),
            [keep.length, 1],
            "int32",
          ); // [B', 1]
          const past = keep.length === active.length ? cache : gatherCache(cache, keepIdx); // [B', nh, T, hs]
          const out = model.run(ids, position, past);
          return { logits: out.logits, cache: out.kv }; // [B', V]; cache [B', nh, T+1, hs]
        });
        logits.dispose();
        disposeCache(cache);
        logits = step.logits;
        cache = step.cache;
        active = keep.map((b) => active[b] as number);
        position++;
      }
    } finally {
      logits.dispose();
      disposeCache(cache);
    }
  }

  return rows.map((row) => {
    const prompt = prompts[row.prompt] as RolloutPrompt;
    const visible = row.done === "stop" ? row.ids.slice(0, -1) : row.ids;
    return {
      task: prompt.task,
      promptIndex: row.prompt,
      promptIds: prompt.ids,
      completionIds: row.ids,
      generatedMask: row.mask,
      samplingLogProbs: row.logProbs,
      filteredTokens: row.filtered,
      ...(options.logitsFilter === undefined ? {} : { filterKept: row.kept }),
      finishReason: row.done ?? "length",
      text: tokenizer.decode(visible),
      toolCalls: row.toolCalls,
    };
  });
}
