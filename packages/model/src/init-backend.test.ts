import { isLlmError } from "@llm/core";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { currentBackend, initBackend } from "./init-backend.js";

const missing = async (): Promise<boolean> => {
  throw new Error("Cannot find package '@tensorflow/tfjs-node'");
};

describe("initBackend", () => {
  it("auto skips native backends that are not installed and picks wasm, reporting why", async () => {
    const logs: string[] = [];
    const info = await initBackend("auto", {
      loaders: { "tensorflow-gpu": missing, tensorflow: missing },
      listeners: { onLog: (e) => logs.push(e.message) },
    });
    expect(info.name).toBe("wasm");
    expect(info.skipped.map((s) => s.name)).toEqual(["tensorflow-gpu", "tensorflow"]);
    expect(info.skipped[0]?.reason).toMatch(/Cannot find package/);
    expect(logs[0]).toMatch(/tensor backend: wasm/);
    expect(currentBackend()).toBe("wasm");
    // wasm is trainable: the embedding gradient (UnsortedSegmentSum) works
    const table = tf.variable(tf.ones([4, 2]));
    const { grads } = tf.variableGrads(
      () => tf.sum(tf.gather(table, tf.tensor1d([1, 1, 3], "int32"))),
      [table],
    );
    expect(Array.from(Object.values(grads)[0]?.dataSync() ?? [])).toEqual([0, 0, 2, 2, 0, 0, 1, 1]);
  });

  it("prefers an installed native backend, in order", async () => {
    const tried: string[] = [];
    const info = await initBackend("auto", {
      loaders: {
        "tensorflow-gpu": async () => {
          tried.push("gpu");
          return false;
        },
        tensorflow: async () => {
          tried.push("tensorflow");
          return (await tf.setBackend("cpu")) as boolean; // stands in for a native backend
        },
      },
    });
    expect(tried).toEqual(["gpu", "tensorflow"]);
    expect(info.name).toBe("tensorflow");
    expect(currentBackend()).toBe("tensorflow");
  });

  it("uses the backend asked for, and fails clearly when it is unavailable", async () => {
    expect((await initBackend("cpu")).name).toBe("cpu");
    expect(tf.getBackend()).toBe("cpu");
    let error: unknown;
    try {
      await initBackend("tensorflow");
    } catch (e) {
      error = e;
    }
    expect(isLlmError(error, "UNSUPPORTED_BACKEND")).toBe(true);
    expect(String(error)).toMatch(/Install @tensorflow\/tfjs-node/);
    await expect(initBackend("webgl" as never)).rejects.toThrow(/unknown backend/);
  });
});
