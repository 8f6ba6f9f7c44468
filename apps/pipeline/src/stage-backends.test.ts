import { isLlmError } from "@llm/core";
import { type BackendInfo, countParameters, initBackend } from "@llm/model";
import { describe, expect, it } from "vitest";
import { PRESETS } from "./presets/index.js";
import { backendLines, checkGpuRequirement, pretrainSeconds, stageBackendRequest } from "./stage-backends.js";
import { STAGE_NAMES } from "./stage-names.js";

const info = (name: BackendInfo["name"], label: string, adapter?: BackendInfo["adapter"]): BackendInfo => ({
  name,
  tfBackend: name,
  label,
  skipped: [],
  ...(adapter ? { adapter } : {}),
});
const gpu = {
  vendor: "nvidia",
  architecture: "ampere",
  device: "",
  description: "RTX 3060",
  software: false,
};
const lavapipe = {
  ...gpu,
  vendor: "mesa",
  architecture: "software",
  description: "llvmpipe",
  software: true,
};

describe("stage backends", () => {
  it("pretraining and sft take the backend asked for; rl and probes never webgpu; the rest none", () => {
    expect(stageBackendRequest("pretrain", "webgpu")).toEqual({ name: "webgpu", syncReads: false });
    expect(stageBackendRequest("sft", "webgpu")).toEqual({ name: "webgpu", syncReads: false });
    for (const stage of ["rl", "probes"] as const) {
      expect(stageBackendRequest(stage, "webgpu")).toEqual({ name: "wasm", syncReads: true });
      expect(stageBackendRequest(stage, "auto")).toEqual({ name: "auto", syncReads: true });
      expect(stageBackendRequest(stage, "cpu")).toEqual({ name: "cpu", syncReads: true });
    }
    for (const stage of ["data", "tokenizer", "report"] as const)
      expect(stageBackendRequest(stage, "auto")).toBeUndefined();
    expect(STAGE_NAMES.filter((s) => stageBackendRequest(s, "auto") !== undefined)).toEqual([
      "pretrain",
      "sft",
      "rl",
      "probes",
    ]);
  });

  it("auto for the synchronous stages really skips webgpu", async () => {
    const chosen = await initBackend("auto", {
      syncReads: true,
      loaders: { "tensorflow-gpu": async () => false, tensorflow: async () => false },
    });
    expect(chosen.name).toBe("wasm");
    expect(chosen.skipped.map((s) => s.name)).not.toContain("webgpu");
  });

  it("prints each stage's backend, with the reason webgpu was skipped", () => {
    const wasm = {
      ...info("wasm", "wasm"),
      skipped: [{ name: "webgpu" as const, reason: "WebGPU offers only a software adapter" }],
    };
    expect(backendLines({ pretrain: wasm, later: info("wasm", "wasm") })[0]).toBe(
      "  pretrain, sft  wasm (webgpu skipped: WebGPU offers only a software adapter)",
    );
    const lines = backendLines({
      pretrain: info("webgpu", "webgpu on GPU nvidia ampere (RTX 3060)", gpu),
      later: info("wasm", "wasm"),
    });
    expect(lines).toEqual([
      "  pretrain, sft  webgpu on GPU nvidia ampere (RTX 3060)",
      "  rl, probes  wasm (they read tensors synchronously)",
      "  data, tokenizer, report  no tensors",
    ]);
  });

  it("a GPU preset passes on a GPU, is refused elsewhere, and warns with its expected time under --force", () => {
    const medium = PRESETS.medium;
    if (medium === undefined) throw new Error("no medium preset");
    const onGpu = { pretrain: info("webgpu", "webgpu on GPU", gpu), later: info("wasm", "wasm") };
    expect(checkGpuRequirement(medium, onGpu, false)).toBeUndefined();
    for (const pretrain of [
      info("wasm", "wasm"),
      info("webgpu", "webgpu on software adapter", lavapipe),
      info("tensorflow", "tensorflow"),
    ]) {
      const backends = { pretrain, later: info("wasm", "wasm") };
      let error: unknown;
      try {
        checkGpuRequirement(medium, backends, false);
      } catch (e) {
        error = e;
      }
      expect(isLlmError(error, "UNSUPPORTED_BACKEND")).toBe(true);
      expect(String(error)).toMatch(/--force/);
      expect(checkGpuRequirement(medium, backends, true)).toMatch(/expected ~17 days at the 10.9 tokens\/s/);
    }
    expect(
      checkGpuRequirement(
        PRESETS.small ?? medium,
        { pretrain: info("wasm", "wasm"), later: info("wasm", "wasm") },
        false,
      ),
    ).toBeUndefined();
    // 2,000 steps x 16 x 512 tokens at 10.9 tokens/s
    expect(pretrainSeconds(medium, 10.9)).toBeCloseTo((2000 * 16 * 512) / 10.9, 6);
  });

  it("the GPU presets are as big as their descriptions say", () => {
    const params = (name: string) => {
      const p = PRESETS[name];
      if (p === undefined) throw new Error(name);
      return countParameters({ vocabSize: p.tokenizer.vocabSize, ...p.pretrain.model });
    };
    expect(params("medium") / 1e6).toBeCloseTo(29.4, 0);
    expect(params("large") / 1e6).toBeCloseTo(97.5, 0);
    expect(PRESETS.medium?.hardware?.requires).toBe("gpu");
    expect(PRESETS.large?.hardware?.requires).toBe("gpu");
    expect(PRESETS["gpt2-small"]).toBeUndefined();
  });
});
