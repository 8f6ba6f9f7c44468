import type { Conversation } from "@llm/core";
import { AdamW, GPT, initBackend } from "@llm/model";
import { ConversationBatchSource } from "@llm/sft";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { CharTokenizer } from "./__fixtures__/char-tokenizer.js";
import { resolveGrpoConfig } from "./grpo-config.js";
import { grpoUpdate } from "./grpo-update.js";
import type { PolicyBatch } from "./policy-batch.js";

const tokenizer = new CharTokenizer("0123456789?+=");
const V = tokenizer.vocabSize;
const T = 12;
const newModel = (seed: number) =>
  new GPT(
    {
      vocabSize: V,
      seqLen: 16,
      nLayer: 2,
      nHead: 2,
      nEmbd: 32,
      smearKeys: true,
      tieEmbeddings: true,
      qkGain: true,
    },
    { seed },
  );
const chats: Conversation[] = Array.from({ length: 6 }, (_, i) => ({
  messages: [
    { role: "user", content: `${10 + i}+${i}` },
    { role: "assistant", content: String(10 + 2 * i) },
  ],
}));

/** Four rollout rows with completion masks, sampling log-probs and advantages. */
function policyBatch(): PolicyBatch {
  const R = 4;
  const inputs = Int32Array.from({ length: R * T }, (_, i) => (i * 7 + 3) % V);
  const targets = Int32Array.from({ length: R * T }, (_, i) => (i * 5 + 1) % V);
  const mask = Float32Array.from({ length: R * T }, (_, i) =>
    i % T >= 4 && i % T < 4 + 2 + (i % 5) ? 1 : 0,
  );
  const tokensPerRow = Array.from({ length: R }, (_, r) =>
    mask.subarray(r * T, (r + 1) * T).reduce((a, b) => a + b, 0),
  );
  return {
    batchSize: R,
    seqLen: T,
    inputs,
    targets,
    mask,
    samplingLogProbs: Float32Array.from({ length: R * T }, (_, i) => -1 - (i % 7) / 10),
    advantages: Float32Array.from([1, -0.5, 0.25, -0.75]),
    rolloutIndex: [0, 1, 2, 3],
    tokensPerRow,
  };
}

async function weightsOf(model: GPT): Promise<Float32Array[]> {
  return [...(await model.getWeights()).values()].map((w) => w.data);
}

beforeAll(async () => {
  await initBackend("wasm");
});

describe("grpoUpdate with one pass", () => {
  it("gives the same update bit for bit with the old log-probs read from the gradient pass as from a pass of their own", async () => {
    const replayBatch = await new ConversationBatchSource(chats, tokenizer, {
      batchSize: 2,
      seqLen: 16,
    }).next();
    for (const microBatchSize of [0, 3]) {
      const cfg = resolveGrpoConfig({ lossType: "dr_grpo", beta: 0.1, maxNewTokens: 8, microBatchSize });
      const runs = [];
      for (const separateOldPass of [true, false]) {
        const model = newModel(3);
        const reference = newModel(4);
        const optimizer = new AdamW(model.parameters(), { weightDecay: 0 });
        const before = tf.memory().numTensors;
        const result = grpoUpdate(
          model,
          reference,
          optimizer,
          policyBatch(),
          5,
          cfg,
          1e-2,
          { batch: replayBatch, coefficient: 0.5 },
          { separateOldPass },
        );
        expect(tf.memory().numTensors).toBe(before); // nothing leaked (AdamW's moments exist from the start)
        runs.push({ result, weights: await weightsOf(model) });
        optimizer.dispose();
        model.dispose();
        reference.dispose();
      }
      const [separate, fused] = runs as [(typeof runs)[0], (typeof runs)[0]];
      expect(fused.result).toEqual(separate.result);
      expect(separate.result.kl).toBeGreaterThan(0);
      expect(separate.result.entropy).toBeGreaterThan(0);
      expect(separate.result.logProbGap).toBeGreaterThan(0);
      for (const [i, w] of separate.weights.entries()) expect(fused.weights[i]).toEqual(w);
    }
  }, 60_000);
});
