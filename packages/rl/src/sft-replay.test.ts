import "@tensorflow/tfjs-backend-cpu";
import type { Conversation } from "@llm/core";
import { AdamW, clipGlobalNorm, computeGradients, disposeGradients } from "@llm/model";
import { ConversationBatchSource } from "@llm/sft";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  firstCharReward,
  tinyGrpoConfig,
  tinyGrpoModel,
  tinyGrpoTasks,
  tinyGrpoTokenizer as tokenizer,
  weightsOf,
} from "./__fixtures__/tiny-grpo.js";
import { resolveGrpoConfig } from "./grpo-config.js";
import { grpoLoss, lossDenominator } from "./grpo-loss.js";
import { grpoUpdate } from "./grpo-update.js";
import type { PolicyBatch } from "./policy-batch.js";
import { tokenLogProbs } from "./token-log-probs.js";
import { trainGrpo } from "./train-grpo.js";

const chats: Conversation[] = Array.from({ length: 6 }, (_, i) => ({
  messages: [
    { role: "user", content: String(10 + i) },
    { role: "assistant", content: String((10 + i) * 3) },
  ],
}));

/** Two rows of 6 ids with completion masks and advantages, as buildPolicyBatch lays them out. */
function policyBatch(): PolicyBatch {
  const T = 6;
  const ids = [1, 2, 3, 4, 5, 6, 7, 8, 3, 2, 1, 0, 9, 5, 5];
  const inputs = Int32Array.from({ length: 2 * T }, (_, i) => ids[i] as number);
  const targets = Int32Array.from({ length: 2 * T }, (_, i) => ids[i + 1] as number);
  const mask = Float32Array.from([0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1]);
  return {
    batchSize: 2,
    seqLen: T,
    inputs,
    targets,
    mask,
    samplingLogProbs: new Float32Array(2 * T),
    advantages: Float32Array.from([1, -0.5]),
    rolloutIndex: [0, 1],
    tokensPerRow: [3, 5],
  };
}

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("SFT replay in the GRPO update", () => {
  it("changes the update exactly as the hand-computed rlLoss + coefficient x masked SFT loss", async () => {
    const cfg = resolveGrpoConfig({ lossType: "dr_grpo", scaleRewards: false, maxNewTokens: 4 });
    const coefficient = 0.7;
    const replayBatch = await new ConversationBatchSource(chats, tokenizer, {
      batchSize: 2,
      seqLen: 16,
    }).next();
    const batch = policyBatch();

    const ours = tinyGrpoModel();
    const ourOptimizer = new AdamW(ours.parameters(), { weightDecay: 0 });
    const result = grpoUpdate(ours, undefined, ourOptimizer, batch, 2, cfg, 1e-2, {
      batch: replayBatch,
      coefficient,
    });

    const hand = tinyGrpoModel();
    const handOptimizer = new AdamW(hand.parameters(), { weightDecay: 0 });
    const T = batch.seqLen;
    const t = {
      inputs: tf.tensor2d(batch.inputs, [2, T], "int32"),
      targets: tf.tensor2d(batch.targets, [2, T], "int32"),
      mask: tf.tensor2d(batch.mask, [2, T]),
      advantages: tf.tensor1d(batch.advantages),
      replayInputs: tf.tensor2d(replayBatch.inputs, [2, 16], "int32"),
      replayTargets: tf.tensor2d(replayBatch.targets, [2, 16], "int32"),
      replayMask: tf.tensor2d(replayBatch.mask as Float32Array, [2, 16]),
    };
    const oldLogProbs = tf.tidy(() => tokenLogProbs(hand.forward(t.inputs), t.targets, cfg.temperature));
    const denominator = lossDenominator("dr_grpo", batch.tokensPerRow, cfg.maxNewTokens);
    let sftLoss = 0;
    const { grads } = computeGradients(hand, () => {
      const rl = grpoLoss(
        {
          logProbs: tokenLogProbs(hand.forward(t.inputs), t.targets, cfg.temperature),
          oldLogProbs,
          advantages: t.advantages,
          mask: t.mask,
        },
        { epsLow: cfg.epsLow, epsHigh: cfg.epsHigh, beta: 0, lossType: "dr_grpo", denominator },
      );
      const sft = hand.loss(t.replayInputs, t.replayTargets, t.replayMask);
      sftLoss = sft.dataSync()[0] as number;
      return tf.add(rl, tf.mul(sft, coefficient)) as tf.Scalar;
    });
    const clipped = clipGlobalNorm(grads, cfg.gradClip);
    handOptimizer.apply(clipped.grads, 1e-2);
    disposeGradients(clipped.grads);
    oldLogProbs.dispose();
    for (const x of Object.values(t)) x.dispose();

    expect(result.replayLoss).toBeCloseTo(sftLoss, 5);
    expect(result.gradNorm).toBeCloseTo(clipped.norm, 5);
    const a = await weightsOf(ours);
    const b = await weightsOf(hand);
    for (let i = 0; i < a.length; i++) {
      const x = a[i] as Float32Array;
      const y = b[i] as Float32Array;
      for (let j = 0; j < x.length; j++)
        expect(Math.abs((x[j] as number) - (y[j] as number))).toBeLessThan(1e-6);
    }
    // and the replay term moved the weights: without it the update differs
    const plain = tinyGrpoModel();
    const plainOptimizer = new AdamW(plain.parameters(), { weightDecay: 0 });
    const noReplay = grpoUpdate(plain, undefined, plainOptimizer, batch, 2, cfg, 1e-2);
    expect(noReplay.replayLoss).toBe(0);
    const c = await weightsOf(plain);
    expect(
      c.some((w, i) => w.some((v, j) => Math.abs(v - ((a[i] as Float32Array)[j] as number)) > 1e-6)),
    ).toBe(true);
    for (const m of [ours, hand, plain]) m.dispose();
    for (const o of [ourOptimizer, handOptimizer, plainOptimizer]) o.dispose();
  });

  it("trainGrpo with replay is deterministic for a seed, reports the SFT loss and leaks no tensors", async () => {
    const run = async () => {
      const model = tinyGrpoModel();
      const before = tf.memory().numTensors;
      const result = await trainGrpo(
        { model, tokenizer },
        tinyGrpoTasks,
        { ...tinyGrpoConfig, replayCoefficient: 0.5, replayBatchSize: 2 },
        {},
        { reward: firstCharReward, replayConversations: chats },
      );
      expect(tf.memory().numTensors).toBe(before);
      const weights = await weightsOf(model);
      model.dispose();
      return { result, weights };
    };
    const a = await run();
    const b = await run();
    expect(a.weights).toEqual(b.weights);
    expect(a.result.steps.map((s) => s.replayLoss)).toEqual(b.result.steps.map((s) => s.replayLoss));
    for (const s of a.result.steps) expect(s.replayLoss).toBeGreaterThan(0);

    const off = tinyGrpoModel();
    const plain = await trainGrpo(
      { model: off, tokenizer },
      tinyGrpoTasks,
      tinyGrpoConfig,
      {},
      { reward: firstCharReward },
    );
    for (const s of plain.steps) expect(s.replayLoss).toBe(0);
    const offWeights = await weightsOf(off);
    off.dispose();
    expect(offWeights).not.toEqual(a.weights);
  });

  it("rejects replay without conversations and a negative coefficient", async () => {
    const model = tinyGrpoModel();
    await expect(
      trainGrpo(
        { model, tokenizer },
        tinyGrpoTasks,
        { ...tinyGrpoConfig, replayCoefficient: 1 },
        {},
        { reward: firstCharReward },
      ),
    ).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    model.dispose();
    expect(() => resolveGrpoConfig({ replayCoefficient: -1 })).toThrow(/replayCoefficient/);
    expect(() => resolveGrpoConfig({ replayBatchSize: 0 })).toThrow(/replayBatchSize/);
  });
});
