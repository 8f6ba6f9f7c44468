import { Rng } from "@llm/core";
import { CopyRowsSource, InMemoryBatchSource } from "@llm/data";
import { GPT, initBackend, Trainer } from "@llm/model";
import { beforeAll, describe, expect, it } from "vitest";
import { copyScore } from "./copy-score.js";

const V = 48;
const BOS = 47;
const T = 32;
const rng = new Rng(3);
// random ids below BOS: nothing but copying predicts a repeat
const tokens = Array.from({ length: 4000 }, () => rng.int(BOS));
const randomSource = () => new InMemoryBatchSource({ tokens, batchSize: 8, seqLen: T, seed: 1 });

beforeAll(async () => {
  await initBackend("wasm");
});

describe("copyScore", () => {
  it("scores an untrained model the same on both copies and leaves the source where it was", async () => {
    const model = new GPT({ vocabSize: V, nLayer: 2, nEmbd: 32, nHead: 2, seqLen: T }, { seed: 1 });
    const source = randomSource();
    const before = source.position();
    const score = await copyScore(model, source, BOS);
    expect(score.passages).toBe(16);
    expect(score.passageTokens).toBe(15);
    expect(score.firstCopyLoss).toBeCloseTo(Math.log(V), 4);
    expect(score.secondCopyLoss).toBeCloseTo(Math.log(V), 4);
    // 15 draws of 47 ids repeat one now and then: the positions after a repeated token
    expect(score.repeatedCopyLoss).toBeCloseTo(Math.log(V), 4);
    expect(source.position()).toEqual(before);
    // passages without a repeated token have no such positions
    const distinct = Array.from({ length: 40 * T }, (_, i) => i % 40);
    const plain = new InMemoryBatchSource({ tokens: distinct, batchSize: 2, seqLen: T, shuffle: false });
    expect((await copyScore(model, plain, BOS, 1)).repeatedCopyLoss).toBeNaN();
    model.dispose();
  });

  it("scores a model trained on copy rows far lower on the second copy", async () => {
    const config = {
      vocabSize: V,
      nLayer: 2,
      nEmbd: 32,
      nHead: 2,
      seqLen: T,
      tieEmbeddings: true,
      smearKeys: true,
    };
    const model = new GPT(config, { seed: 2 });
    const train = new CopyRowsSource(randomSource(), {
      vocabSize: BOS,
      bosId: BOS,
      warmupSteps: 400,
      seed: 5,
    });
    const trainer = new Trainer(model, {
      totalSteps: 400,
      lr: 1e-2,
      warmupSteps: 10,
      weightDecay: 0,
      seed: 2,
    });
    await trainer.run(train);
    trainer.dispose();
    const score = await copyScore(model, randomSource(), BOS);
    expect(score.firstCopyLoss).toBeGreaterThan(Math.log(BOS) - 0.3);
    expect(score.secondCopyLoss).toBeLessThan(score.firstCopyLoss - 1);
    model.dispose();
  }, 60_000);
});
