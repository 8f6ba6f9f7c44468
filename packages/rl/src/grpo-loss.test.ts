import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-core/dist/register_all_gradients";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { grpoLoss, grpoLossStats, klK3, lossDenominator } from "./grpo-loss.js";

/** Runs fn in a tensor scope that frees every tensor it made (tf.tidy only returns tensors). */
function scoped<T>(fn: () => T): T {
  tf.engine().startScope();
  try {
    return fn();
  } finally {
    tf.engine().endScope();
  }
}

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const base = { epsLow: 0.2, epsHigh: 0.2, beta: 0, lossType: "dapo" as const };

/** d loss / d logProbs for one token with the given ratio and advantage. */
function gradientAt(ratio: number, advantage: number, epsLow = 0.2, epsHigh = 0.2): number {
  return tf.tidy(() => {
    const old = tf.tensor2d([[-1.0]]);
    const f = (logProbs: tf.Tensor) =>
      grpoLoss(
        {
          logProbs: logProbs as tf.Tensor2D,
          oldLogProbs: old,
          advantages: tf.tensor1d([advantage]),
          mask: tf.tensor2d([[1]]),
        },
        { ...base, epsLow, epsHigh },
      );
    const g = tf.grad(f)(tf.tensor2d([[-1.0 + Math.log(ratio)]]));
    return g.dataSync()[0] as number;
  });
}

describe("clipped surrogate", () => {
  it("passes no gradient outside the trust region", () => {
    expect(Math.abs(gradientAt(1.5, 1))).toBe(0); // A > 0, rho > 1 + eps: clipped
    expect(Math.abs(gradientAt(0.5, -1))).toBe(0); // A < 0, rho < 1 - eps: clipped
    expect(gradientAt(1.25, 1, 0.2, 0.28)).toBeCloseTo(-1.25, 5); // inside DAPO's clip-higher range
    expect(Math.abs(gradientAt(1.3, 1, 0.2, 0.28))).toBe(0);
  });

  it("passes the policy-gradient -rho*A inside the trust region and on the pessimistic side", () => {
    expect(gradientAt(1.1, 2)).toBeCloseTo(-1.1 * 2, 5);
    expect(gradientAt(0.9, -1)).toBeCloseTo(0.9, 5);
    // Outside the region but where the unclipped term is the minimum, the gradient flows.
    expect(gradientAt(1.5, -1)).toBeCloseTo(1.5, 5);
    expect(gradientAt(0.5, 1)).toBeCloseTo(-0.5, 5);
  });

  it("at ratio 1 the loss is -mean advantage over tokens", () => {
    const loss = tf.tidy(
      () =>
        grpoLoss(
          {
            logProbs: tf.tensor2d([[-1, -2, -3]]),
            oldLogProbs: tf.tensor2d([[-1, -2, -3]]),
            advantages: tf.tensor1d([0.5]),
            mask: tf.tensor2d([[1, 1, 0]]),
          },
          base,
        ).dataSync()[0],
    );
    expect(loss).toBeCloseTo(-0.5, 6);
  });
});

describe("KL k3", () => {
  it("is 0 when policy and reference are equal, positive otherwise", () => {
    const values = tf.tidy(() => {
      const lp = tf.tensor2d([[-0.1, -2.3, -5]]);
      return klK3(lp, lp).dataSync();
    });
    expect(Array.from(values)).toEqual([0, 0, 0]);
    const other = tf.tidy(() => klK3(tf.tensor2d([[-0.1]]), tf.tensor2d([[-0.7]])).dataSync()[0] as number);
    expect(other).toBeCloseTo(Math.exp(-0.6) + 0.6 - 1, 6);
    expect(other).toBeGreaterThan(0);
  });

  it("adds beta * KL to the loss and reports it in the stats", () => {
    const inputs = () => ({
      logProbs: tf.tensor2d([[-1, -1]]),
      oldLogProbs: tf.tensor2d([[-1, -1]]),
      refLogProbs: tf.tensor2d([[-1, -2]]),
      advantages: tf.tensor1d([0]),
      mask: tf.tensor2d([[1, 1]]),
    });
    const kl2 = Math.exp(-1) + 1 - 1;
    const loss = tf.tidy(() => grpoLoss(inputs(), { ...base, beta: 0.5 }).dataSync()[0] as number);
    expect(loss).toBeCloseTo((0.5 * kl2) / 2, 6);
    const noKl = tf.tidy(() => grpoLoss(inputs(), base).dataSync()[0] as number);
    expect(noKl).toBeCloseTo(0, 6);
    const stats = scoped(() => grpoLossStats(inputs(), base));
    expect(stats.kl).toBeCloseTo(kl2 / 2, 6);
    expect(stats.tokens).toBe(2);
  });
});

describe("aggregation", () => {
  // Sequence 0 has 1 counted token with loss -1 (A = 1); sequence 1 has 3 with loss -2 each (A = 2).
  const inputs = () => ({
    logProbs: tf.zeros([2, 3]) as tf.Tensor2D,
    oldLogProbs: tf.zeros([2, 3]) as tf.Tensor2D,
    advantages: tf.tensor1d([1, 2]),
    mask: tf.tensor2d([
      [1, 0, 0],
      [1, 1, 1],
    ]),
  });
  const lossOf = (lossType: "grpo" | "dapo" | "dr_grpo", extra: object = {}) =>
    tf.tidy(
      () => grpoLoss(inputs(), { ...base, lossType, maxNewTokens: 5, ...extra }).dataSync()[0] as number,
    );

  it("grpo averages per sequence, dapo per token, dr_grpo by sequences x maxNewTokens", () => {
    expect(lossOf("grpo")).toBeCloseTo((-1 + -2) / 2, 6);
    expect(lossOf("dapo")).toBeCloseTo((-1 - 6) / 4, 6);
    expect(lossOf("dr_grpo")).toBeCloseTo((-1 - 6) / (2 * 5), 6);
  });

  it("lossDenominator gives the same numbers for a whole batch", () => {
    expect(lossDenominator("grpo", [1, 3, 0], 5)).toBe(2);
    expect(lossDenominator("dapo", [1, 3, 0], 5)).toBe(4);
    expect(lossDenominator("dr_grpo", [1, 3, 0], 5)).toBe(15);
    expect(lossOf("dapo", { denominator: 4 })).toBeCloseTo(lossOf("dapo"), 6);
  });

  it("tokens with mask 0 (tool output, padding, truncated) get no gradient", () => {
    const g = tf.tidy(() => {
      const { oldLogProbs, advantages, mask } = inputs();
      return tf
        .grad((lp: tf.Tensor) =>
          grpoLoss(
            { logProbs: lp as tf.Tensor2D, oldLogProbs, advantages, mask },
            { ...base, lossType: "grpo" },
          ),
        )(tf.zeros([2, 3]))
        .arraySync() as number[][];
    });
    expect(Math.abs(g[0]?.[1] as number)).toBe(0);
    expect(Math.abs(g[0]?.[2] as number)).toBe(0);
    expect(g[0]?.[0]).toBeCloseTo(-1 / 2, 6);
    expect(g[1]?.[0]).toBeCloseTo(-2 / 3 / 2, 6);
  });

  it("stats count clipped tokens and leak no tensors", () => {
    const before = tf.memory().numTensors;
    const stats = scoped(() =>
      grpoLossStats(
        {
          logProbs: tf.log(tf.tensor2d([[1.5, 1.0, 0.5, 0.5]])) as tf.Tensor2D,
          oldLogProbs: tf.zeros([1, 4]) as tf.Tensor2D,
          advantages: tf.tensor1d([1]),
          mask: tf.tensor2d([[1, 1, 1, 0]]),
        },
        base,
      ),
    );
    expect(stats.clipHighFraction).toBeCloseTo(1 / 3, 6);
    expect(stats.clipLowFraction).toBe(0);
    expect(stats.meanRatio).toBeCloseTo(1, 6);
    expect(tf.memory().numTensors).toBe(before);
  });
});
