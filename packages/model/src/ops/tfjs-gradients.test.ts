import { readFileSync } from "node:fs";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import "@tensorflow/tfjs-backend-cpu";
import "./tfjs-gradients.generated.js";
import { bundleTfjsGradients } from "./tfjs-gradients-bundle.js";

describe("tfjs-core gradients without the @tensorflow/tfjs umbrella", () => {
  it("the committed bundle is what the build script writes from the installed tfjs-core", async () => {
    const committed = readFileSync(new URL("./tfjs-gradients.generated.js", import.meta.url), "utf8");
    expect(committed).toBe(await bundleTfjsGradients());
  }, 30_000);

  it("registers gradients of plain core kernels (values as the umbrella gave them)", async () => {
    await tf.setBackend("cpu");
    const before = tf.memory().numTensors;
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    // d/dx sum(tanh(x) * (x @ x)), computed with @tensorflow/tfjs 4.22.0's registrations
    const dx = tf.grad((t: tf.Tensor) =>
      tf.sum(tf.mul(tf.tanh(t), tf.matMul(t as tf.Tensor2D, t as tf.Tensor2D))),
    )(x);
    const values = Array.from(await dx.data());
    expect(values[0]).toBeCloseTo(9.376228332519531, 5);
    expect(values[1]).toBeCloseTo(10.809417724609375, 5);
    expect(values[2]).toBeCloseTo(8.645111083984375, 5);
    expect(values[3]).toBeCloseTo(12.937353134155273, 5);
    tf.dispose([x, dx]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
