import "@tensorflow/tfjs-backend-cpu";
import { SPECIAL_TOKENS, type Task } from "@llm/core";
import { GPT } from "@llm/model";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BigramModel } from "./__fixtures__/bigram-model.js";
import { CharTokenizer } from "./__fixtures__/char-tokenizer.js";
import { generateRollouts, type Rollout, type RolloutPrompt } from "./generate-rollouts.js";
import { tokenLogProbs } from "./token-log-probs.js";

const tokenizer = new CharTokenizer();
const sid = (t: string) => tokenizer.specialId(t);
const task = (id: string): Task => ({ id, kind: "toy", prompt: id, answer: "7" });
const prompt = (text: string): RolloutPrompt => ({
  task: task(text),
  ids: [
    sid("<|bos|>"),
    sid("<|user_start|>"),
    ...tokenizer.encode(text),
    sid("<|user_end|>"),
    sid("<|assistant_start|>"),
  ],
});

let model: GPT;

/** log p of each completion id at `temperature`, from one uncached forward pass over prompt + completion. */
function completionLogProbs(r: Rollout, temperature = 1): number[] {
  const full = [...r.promptIds, ...r.completionIds];
  const all = tf.tidy(() => {
    const inputs = tf.tensor2d(full.slice(0, -1), [1, full.length - 1], "int32");
    const targets = tf.tensor2d(full.slice(1), [1, full.length - 1], "int32");
    return Array.from(tokenLogProbs(model.forward(inputs), targets, temperature).dataSync());
  });
  return all.slice(r.promptIds.length - 1);
}

beforeAll(async () => {
  await tf.setBackend("cpu");
  model = new GPT(
    { vocabSize: tokenizer.vocabSize, seqLen: 32, nLayer: 2, nHead: 2, nEmbd: 32 },
    { seed: 3 },
  );
  // The init zeroes the head (uniform logits); give it random weights so log-probs differ per token.
  const head = model.parameters().get("lm_head.weight") as tf.Variable;
  tf.tidy(() => head.assign(tf.mul(tf.randomNormal(head.shape, 0, 1, "float32", 7), 0.5)));
});

afterAll(() => model.dispose());

describe("generateRollouts", () => {
  it("samples G completions per prompt whose sampling log-probs match a full forward pass", async () => {
    const prompts = [prompt("12+3"), prompt("4"), prompt("99+1")]; // two share a length: one batched prefill
    const before = tf.memory().numTensors;
    const rollouts = await generateRollouts(model, tokenizer, prompts, {
      groupSize: 3,
      maxNewTokens: 6,
      temperature: 1,
      seed: 11,
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(rollouts).toHaveLength(9);
    expect(rollouts.map((r) => r.promptIndex)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2]);
    for (const r of rollouts) {
      const sampled = r.generatedMask.reduce((a, b) => a + b, 0);
      expect(sampled).toBeLessThanOrEqual(6);
      expect(r.completionIds).toHaveLength(r.samplingLogProbs.length);
      if (r.finishReason === "stop") expect(r.completionIds.at(-1)).toBe(sid("<|assistant_end|>"));
      else expect(sampled).toBe(6);
      // Recompute log p of every completion id with one uncached forward pass.
      const recomputed = completionLogProbs(r);
      r.completionIds.forEach((_, c) => {
        expect(r.samplingLogProbs[c]).toBeCloseTo(recomputed[c] as number, 4);
      });
    }
    // Completions of one group differ (sampling), and the same seed gives the same completions.
    const again = await generateRollouts(model, tokenizer, prompts, {
      groupSize: 3,
      maxNewTokens: 6,
      seed: 11,
    });
    expect(again.map((r) => r.completionIds)).toEqual(rollouts.map((r) => r.completionIds));
    expect(new Set(rollouts.map((r) => r.completionIds.join(","))).size).toBeGreaterThan(3);
  });

  it("top-k sampling only draws among the k most likely ids, with log-probs of the truncated distribution", async () => {
    const rollouts = await generateRollouts(model, tokenizer, [prompt("5")], {
      groupSize: 4,
      maxNewTokens: 3,
      topK: 1,
      seed: 1,
    });
    // k = 1 is greedy: every sample is the same and has probability 1.
    expect(new Set(rollouts.map((r) => r.completionIds.join(","))).size).toBe(1);
    for (const r of rollouts) for (const lp of r.samplingLogProbs) expect(lp).toBeCloseTo(0, 6);
  });

  it("decodes the first greedyPerGroup completions of each group greedily, with sampling log-probs", async () => {
    const prompts = [prompt("5"), prompt("77")];
    const options = { groupSize: 4, maxNewTokens: 5, temperature: 1.5, greedyPerGroup: 1, seed: 2 };
    const rollouts = await generateRollouts(model, tokenizer, prompts, options);
    const greedy = await generateRollouts(model, tokenizer, prompts, {
      ...options,
      topK: 1,
      greedyPerGroup: 0,
    });
    for (const p of [0, 1]) {
      const group = rollouts.slice(4 * p, 4 * p + 4);
      // the greedy member is the top-1 completion; the others are samples
      expect(group[0]?.completionIds).toEqual(greedy[4 * p]?.completionIds);
      expect(new Set(group.map((r) => r.completionIds.join(","))).size).toBeGreaterThan(1);
      // its log-probs are those of the temperature-1.5 distribution, below 0 (not top-1's certainty)
      const recomputed = completionLogProbs(group[0] as Rollout, 1.5);
      group[0]?.samplingLogProbs.forEach((lp, c) => {
        expect(lp).toBeLessThan(0);
        expect(lp).toBeCloseTo(recomputed[c] as number, 4);
      });
    }
  });

  it("samples from a logitsFilter's distribution, with log-probs renormalised over the tokens it keeps", async () => {
    const kept = new Set([..."abc7"].map((c) => tokenizer.encode(c)[0] as number));
    kept.add(sid("<|assistant_end|>"));
    const seen: number[] = [];
    const filter = (logits: Float32Array, context: { completionIds: readonly number[] }) => {
      seen.push(context.completionIds.length);
      const out = new Float32Array(logits.length).fill(Number.NEGATIVE_INFINITY);
      for (const id of kept) out[id] = logits[id] as number;
      return out;
    };
    const prompts = [prompt("12+3"), prompt("4")];
    const before = tf.memory().numTensors;
    const rollouts = await generateRollouts(model, tokenizer, prompts, {
      groupSize: 3,
      maxNewTokens: 6,
      temperature: 1.3,
      greedyPerGroup: 1,
      seed: 5,
      logitsFilter: filter,
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(seen.length).toBe(rollouts.reduce((a, r) => a + r.completionIds.length, 0));
    for (const r of rollouts) {
      expect(r.filteredTokens).toBe(r.completionIds.length);
      // one uncached forward pass: log softmax(logits / T) over the kept ids only
      const full = [...r.promptIds, ...r.completionIds];
      const rows = tf.tidy(() => {
        const logits = model.forward(tf.tensor2d(full.slice(0, -1), [1, full.length - 1], "int32"));
        return tf.squeeze(logits, [0]).arraySync() as number[][];
      });
      r.completionIds.forEach((id, c) => {
        expect(kept.has(id)).toBe(true);
        const row = rows[r.promptIds.length - 1 + c] as number[];
        const keptLogits = [...kept].map((k) => (row[k] as number) / 1.3);
        const max = Math.max(...keptLogits);
        const logZ = max + Math.log(keptLogits.reduce((a, x) => a + Math.exp(x - max), 0));
        expect(r.samplingLogProbs[c]).toBeCloseTo((row[id] as number) / 1.3 - logZ, 4);
        // the greedy member takes the most likely kept id
        if (r === rollouts[0]) expect((row[id] as number) / 1.3).toBeCloseTo(max, 5);
      });
    }
    // A filter that keeps nothing is an error, not a NaN sample.
    await expect(
      generateRollouts(model, tokenizer, [prompt("4")], {
        groupSize: 1,
        maxNewTokens: 2,
        logitsFilter: (logits) => new Float32Array(logits.length).fill(Number.NEGATIVE_INFINITY),
      }),
    ).rejects.toThrow(/left no token/);
  });

  it("runs a tool call, forces its output with mask 0 and continues the turn", async () => {
    const id = (c: string) => tokenizer.encode(c)[0] as number;
    // The scripted model writes: <|python_start|>1+2<|python_end|> [forced output] #7<|assistant_end|>
    const next = new Map<number, number>([
      [sid("<|assistant_start|>"), sid("<|python_start|>")],
      [sid("<|python_start|>"), id("1")],
      [id("1"), id("+")],
      [id("+"), id("2")],
      [id("2"), sid("<|python_end|>")],
      [sid("<|output_end|>"), id("#")],
      [id("#"), id("7")],
      [id("7"), sid("<|assistant_end|>")],
    ]);
    const scripted = new BigramModel(tokenizer.vocabSize, 64, next);
    const calls: string[] = [];
    const tools = {
      run: async (code: string) => {
        calls.push(code);
        return { output: code === "1+2" ? "3" : "?", isError: false };
      },
    };
    const [r] = await generateRollouts(scripted, tokenizer, [prompt("q")], {
      groupSize: 2,
      maxNewTokens: 20,
      tools,
    });
    expect(calls).toEqual(["1+2", "1+2"]);
    expect(r?.text).toBe("<|python_start|>1+2<|python_end|><|output_start|>3<|output_end|>#7");
    expect(r?.finishReason).toBe("stop");
    expect(r?.toolCalls).toBe(1);
    const outStart = r?.completionIds.indexOf(sid("<|output_start|>")) as number;
    const outEnd = r?.completionIds.indexOf(sid("<|output_end|>")) as number;
    r?.generatedMask.forEach((m, i) => {
      expect(m).toBe(i >= outStart && i <= outEnd ? 0 : 1);
    });
    r?.samplingLogProbs.forEach((lp, i) => {
      if (i >= outStart && i <= outEnd) expect(lp).toBe(0);
    });
    // Without a tool runner the call gets no output and the turn goes on.
    const [plain] = await generateRollouts(scripted, tokenizer, [prompt("q")], {
      groupSize: 2,
      maxNewTokens: 8,
    });
    expect(plain?.generatedMask.every((m) => m === 1)).toBe(true);
    // The tool-call cap ends the turn.
    const [capped] = await generateRollouts(scripted, tokenizer, [prompt("q")], {
      groupSize: 2,
      maxNewTokens: 20,
      tools,
      maxToolCalls: 0,
    });
    expect(capped?.finishReason).toBe("tool_limit");
  });

  it("stops at the context length and rejects prompts that do not fit", async () => {
    const loop = new BigramModel(tokenizer.vocabSize, 12, new Map([[0, 0]]));
    const p = prompt("0");
    const [r] = await generateRollouts(loop, tokenizer, [{ ...p, ids: [...p.ids.slice(0, -1), 0] }], {
      groupSize: 2,
      maxNewTokens: 100,
    });
    expect(r?.finishReason).toBe("length");
    expect((r?.promptIds.length ?? 0) + (r?.completionIds.length ?? 0)).toBe(12);
    await expect(
      generateRollouts(loop, tokenizer, [{ task: task("long"), ids: Array.from({ length: 12 }, () => 0) }], {
        groupSize: 2,
        maxNewTokens: 4,
      }),
    ).rejects.toThrow(/needs 1\.\.11/);
    expect(SPECIAL_TOKENS.length).toBe(9);
    await expect(generateRollouts(loop, tokenizer, [p], { groupSize: 0, maxNewTokens: 4 })).rejects.toThrow(
      /positive integers/,
    );
    await expect(
      generateRollouts(loop, tokenizer, [p], { groupSize: 2, maxNewTokens: 4, temperature: 0 }),
    ).rejects.toThrow(/temperature/);
    const small = new BigramModel(10, 12, new Map());
    await expect(generateRollouts(small, tokenizer, [p], { groupSize: 2, maxNewTokens: 4 })).rejects.toThrow(
      /more ids/,
    );
  });
});
