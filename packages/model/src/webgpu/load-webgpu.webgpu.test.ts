/**
 * initBackend with webgpu on the machine's real WebGPU stack (lavapipe in CI): "auto" takes only a
 * hardware adapter, an explicit "webgpu" runs on a software one and labels it, and a machine
 * with no Vulkan driver gets a typed error naming what is missing (or wasm under "auto").
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { isLlmError } from "@llm/core";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { activeBackend, currentBackend, initBackend } from "../init-backend.js";
import { probeWebGpuAdapter } from "./load-webgpu.js";

describe("initBackend with webgpu", () => {
  it("auto takes webgpu only on a hardware adapter, else wasm with the reason", async () => {
    const adapter = await probeWebGpuAdapter();
    const info = await initBackend("auto", { loaders: { "tensorflow-gpu": async () => false } });
    if (adapter.software) {
      expect(info.name).toBe("wasm");
      const skip = info.skipped.find((s) => s.name === "webgpu");
      expect(skip?.reason).toMatch(/only a software adapter .*not a GPU/);
    } else {
      expect(info.name).toBe("webgpu");
      expect(info.adapter?.software).toBe(false);
    }
  });

  it("runs on the adapter when asked for by name, labelled and recorded", async () => {
    const logs: Array<{ level: string; message: string }> = [];
    const info = await initBackend("webgpu", { listeners: { onLog: (e) => logs.push(e) } });
    expect(info.name).toBe("webgpu");
    expect(tf.getBackend()).toBe("webgpu");
    const adapter = info.adapter;
    expect(adapter).toBeDefined();
    expect(typeof adapter?.vendor).toBe("string");
    expect(activeBackend()?.adapter).toEqual(adapter);
    if (adapter?.software) {
      expect(info.label).toMatch(/^webgpu on software adapter .*not a GPU$/);
      expect(currentBackend()).toBe("webgpu-software");
      expect(logs[0]?.level).toBe("warn");
    } else {
      expect(info.label).toMatch(/^webgpu on GPU /);
      expect(currentBackend()).toBe("webgpu");
    }
    // a real computation on the device, read back asynchronously
    const a = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const b = tf.tensor2d([1, 0, 0, 1, 1, 1], [3, 2]);
    const c = tf.matMul(a, b);
    expect(Array.from(await c.data())).toEqual([4, 5, 10, 11]);
    tf.dispose([a, b, c]);
  });

  it("without a Vulkan driver: a typed error naming it under webgpu, wasm under auto", () => {
    const child = fileURLToPath(new URL("./__fixtures__/init-in-child.ts", import.meta.url));
    const run = (backend: string) =>
      spawnSync(process.execPath, ["--import", "tsx", "--conditions=@llm/source", child, backend], {
        env: {
          ...process.env,
          VK_DRIVER_FILES: "/nonexistent/icd.json",
          VK_ICD_FILENAMES: "/nonexistent/icd.json",
        },
        encoding: "utf8",
        timeout: 120_000,
      });
    const explicit = JSON.parse(run("webgpu").stdout.trim().split("\n").pop() ?? "{}");
    expect(explicit.code).toBe("UNSUPPORTED_BACKEND");
    expect(explicit.message).toMatch(/WebGPU found no adapter: missing a working Vulkan driver/);
    expect(explicit.hint).toMatch(/VK_DRIVER_FILES|Vulkan driver/);
    const auto = JSON.parse(run("auto").stdout.trim().split("\n").pop() ?? "{}");
    expect(auto.name).toBe("wasm");
    expect(auto.skipped.find((s: { name: string }) => s.name === "webgpu")?.reason).toMatch(/no adapter/);
  });

  it("an unknown backend stays a typed error", async () => {
    const error = await initBackend("webgl" as never).catch((e: unknown) => e);
    expect(isLlmError(error, "UNSUPPORTED_BACKEND")).toBe(true);
  });
});
