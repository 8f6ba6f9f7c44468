import { isLlmError } from "@llm/core";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
// the stand-in loaders below activate tfjs's cpu backend (no longer registered by the tfjs umbrella)
import "@tensorflow/tfjs-backend-cpu";
import { assertTensorFlowFoundGpu, currentBackend, initBackend } from "./init-backend.js";

const missing = async (): Promise<boolean> => {
  throw new Error("Cannot find package '@tensorflow/tfjs-node'");
};

describe("initBackend", () => {
  it("auto skips native backends that are not installed and picks wasm, reporting why", async () => {
    const logs: string[] = [];
    const info = await initBackend("auto", {
      loaders: { "tensorflow-gpu": missing, webgpu: missing, tensorflow: missing },
      listeners: { onLog: (e) => logs.push(e.message) },
    });
    expect(info.name).toBe("wasm");
    expect(info.label).toBe("wasm");
    expect(info.skipped.map((s) => s.name)).toEqual(["tensorflow-gpu", "webgpu", "tensorflow"]);
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
        webgpu: missing,
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

  it("asks webgpu loaders whether the user named the backend, and records the adapter", async () => {
    const requests: boolean[] = [];
    const gpu = {
      vendor: "nvidia",
      architecture: "ampere",
      device: "",
      description: "RTX 3060",
      software: false,
    };
    const info = await initBackend("auto", {
      loaders: {
        "tensorflow-gpu": missing,
        webgpu: async ({ explicit }) => {
          requests.push(explicit);
          await tf.setBackend("cpu"); // stands in for the webgpu backend
          return { adapter: gpu };
        },
      },
    });
    expect(info.name).toBe("webgpu");
    expect(info.adapter).toEqual(gpu);
    expect(info.label).toBe("webgpu on GPU nvidia ampere (RTX 3060)");
    const logs: Array<{ level: string; message: string }> = [];
    const soft = {
      ...gpu,
      vendor: "mesa",
      architecture: "software",
      description: "llvmpipe",
      software: true,
    };
    const named = await initBackend("webgpu", {
      loaders: {
        webgpu: async ({ explicit }) => {
          requests.push(explicit);
          await tf.setBackend("cpu");
          return { adapter: soft };
        },
      },
      listeners: { onLog: (e) => logs.push(e) },
    });
    expect(requests).toEqual([false, true]);
    expect(named.label).toBe("webgpu on software adapter mesa software (llvmpipe), not a GPU");
    expect(logs[0]).toMatchObject({
      level: "warn",
      message: "tensor backend: webgpu on software adapter mesa software (llvmpipe), not a GPU",
    });
    expect(currentBackend()).toBe("webgpu-software");
  });

  it("for code that reads synchronously, auto skips webgpu and naming it is a typed error", async () => {
    const info = await initBackend("auto", {
      syncReads: true,
      loaders: { "tensorflow-gpu": missing, webgpu: missing, tensorflow: missing },
    });
    expect(info.name).toBe("wasm");
    expect(info.skipped.map((s) => s.name)).toEqual(["tensorflow-gpu", "tensorflow"]);
    const error = await initBackend("webgpu", { syncReads: true }).catch((e: unknown) => e);
    expect(isLlmError(error, "UNSUPPORTED_BACKEND")).toBe(true);
    expect(String(error)).toMatch(/reads tensors synchronously.*--backend wasm/);
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

  it("reports tensorflow-gpu only when TensorFlow says it found a GPU", () => {
    expect(() => assertTensorFlowFoundGpu({ isUsingGpuDevice: true })).not.toThrow();
    for (const backend of [{ isUsingGpuDevice: false }, {}]) {
      let error: unknown;
      try {
        assertTensorFlowFoundGpu(backend);
      } catch (e) {
        error = e;
      }
      expect(isLlmError(error, "UNSUPPORTED_BACKEND")).toBe(true);
      expect(String(error)).toMatch(/CUDA 11\.2 and cuDNN 8\.1/);
    }
  });
});
