/**
 * wordStepFilter: the chat engine's WordStepGuard as a rollout filter. A scripted model writes
 * " the 1 " and then has uniform logits; with the filter in "run" mode every sampled continuation
 * of the steps copies the question's words in order, each sampled id's log-prob is -log of the
 * number of ids the guard kept, and after a tool call nothing is filtered.
 */
import "@tensorflow/tfjs-backend-cpu";
import type { Task } from "@llm/core";
import { questionWords, WordStepGuard } from "@llm/engine";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { CharTokenizer } from "./__fixtures__/char-tokenizer.js";
import { generateRollouts, type KvCache, type PolicyModel, type RolloutPrompt } from "./generate-rollouts.js";
import { wordStepFilter } from "./word-step-filter.js";

const tokenizer = new CharTokenizer();
const sid = (t: string) => tokenizer.specialId(t);
const QUESTION = "count the words in the cat sat on the mat";
const task: Task = { id: "w", kind: "word-count", prompt: QUESTION, answer: "6" };
const prompt: RolloutPrompt = {
  task,
  ids: [
    sid("<|bos|>"),
    sid("<|user_start|>"),
    ...tokenizer.encode(QUESTION),
    sid("<|user_end|>"),
    sid("<|assistant_start|>"),
  ],
};

/** Writes `script` as the first completion ids (logit 50), then uniform logits: a real PolicyModel with no cache state. */
class ScriptedModel implements PolicyModel {
  readonly config = { vocabSize: tokenizer.vocabSize, seqLen: 96 };
  constructor(
    private readonly promptLength: number,
    private readonly script: readonly number[],
  ) {}

  run(ids: tf.Tensor2D, start: number, _past?: KvCache): { logits: tf.Tensor2D; kv: KvCache } {
    const [B, T] = ids.shape;
    const V = this.config.vocabSize;
    const logits = new Float32Array(B * T * V);
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        const c = start + t - (this.promptLength - 1); // the completion index this position predicts
        const id = this.script[c];
        if (c >= 0 && id !== undefined) logits[(b * T + t) * V + id] = 50;
      }
    }
    return { logits: tf.tensor2d(logits, [B * T, V]), kv: { keys: [], values: [] } };
  }
}

/** The step words of a reply (" the 1 cat 2 ..." up to a newline or "#"), numbers left out. */
function stepWords(text: string): string[] {
  const steps = text.split(/[\n#]/)[0] ?? "";
  return steps.split(" ").filter((w) => w !== "" && !/^[0-9]+$/.test(w));
}

/** Whether `words` occur in order, contiguously, in the question's words (the last may be cut short: the turn ended in it). */
function isRun(words: readonly string[]): boolean {
  const q = questionWords(QUESTION);
  const last = words.length - 1;
  return q.some((_, s) => words.every((w, i) => (i === last ? q[s + i]?.startsWith(w) : q[s + i] === w)));
}

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("wordStepFilter", () => {
  it("filters as the chat engine's WordStepGuard does on the decoded reply, and stops at a tool call", () => {
    const filter = wordStepFilter(tokenizer, "run");
    const guard = new WordStepGuard(tokenizer);
    const logits = new Float32Array(tokenizer.vocabSize).fill(0.5);
    const reply = " the 1 c";
    const ids = tokenizer.encode(reply);
    const ours = filter(logits, { prompt, completionIds: ids });
    expect(Array.from(ours)).toEqual(Array.from(guard.apply(logits, reply, QUESTION, "run")));
    const kept = [...ours.keys()].filter((id) => ours[id] !== Number.NEGATIVE_INFINITY);
    // after " the 1 c" only "cat" continues a run ("the" is followed by "words" and "cat"), or the turn ends
    expect(kept.map((id) => (id === sid("<|assistant_end|>") ? "<end>" : tokenizer.decode([id])))).toEqual([
      "a",
      "<end>",
    ]);
    // not steps yet, or after a tool call: untouched
    expect(filter(logits, { prompt, completionIds: tokenizer.encode(" the") })).toBe(logits);
    const afterCall = [sid("<|python_start|>"), sid("<|python_end|>"), ...ids];
    expect(filter(logits, { prompt, completionIds: afterCall })).toBe(logits);
  });

  it("keeps sampled steps a contiguous copy, with log-probs of the guarded distribution", async () => {
    const model = new ScriptedModel(prompt.ids.length, tokenizer.encode(" the 1 "));
    const options = { groupSize: 24, maxNewTokens: 24, temperature: 1, seed: 3 };
    const before = tf.memory().numTensors;
    const guarded = await generateRollouts(model, tokenizer, [prompt], {
      ...options,
      logitsFilter: wordStepFilter(tokenizer, "run"),
    });
    expect(tf.memory().numTensors).toBe(before);
    const plain = await generateRollouts(model, tokenizer, [prompt], options);
    const guard = new WordStepGuard(tokenizer);
    const uniform = new Float32Array(tokenizer.vocabSize);
    for (const r of guarded) {
      expect(r.text.startsWith(" the 1 ")).toBe(true);
      expect(isRun(stepWords(r.text)), JSON.stringify(r.text)).toBe(true);
      expect(r.filteredTokens).toBeGreaterThan(0);
      // each sampled id after the script: log p = -log(ids the guard kept), uniform logits over them
      r.completionIds.forEach((id, c) => {
        if (c < 7) return;
        const sofar = tokenizer.decode(r.completionIds.slice(0, c));
        const mask = guard.apply(uniform, sofar, QUESTION, "run");
        const keptCount = mask.filter((x) => x !== Number.NEGATIVE_INFINITY).length;
        expect(mask[id]).not.toBe(Number.NEGATIVE_INFINITY);
        expect(r.samplingLogProbs[c]).toBeCloseTo(-Math.log(keptCount), 4);
      });
    }
    // at least one guarded row wrote a second step word, and unguarded sampling copies nothing
    expect(guarded.some((r) => stepWords(r.text).length >= 2)).toBe(true);
    expect(plain.every((r) => r.filteredTokens === 0)).toBe(true);
    expect(plain.some((r) => !isRun(stepWords(r.text)))).toBe(true);
  });
});
