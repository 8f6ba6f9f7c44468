/**
 * loadWebGpu: makes tfjs-backend-webgpu the active backend in Node through the npm package
 * `webgpu` (Dawn's Node bindings: Metal on macOS, Vulkan on Linux, D3D12 on Windows). Installs
 * Dawn's WebGPU globals and `navigator.gpu` before tfjs-backend-webgpu is imported (it registers
 * itself only when `navigator.gpu` exists), asks for a high-performance adapter, refuses a
 * software adapter unless `allowSoftware`, registers our WGSL kernels and checks that
 * `setBackend("webgpu")` really succeeded. Reference: facts.md "WebGPU in Node". Leaves out:
 * choosing among several GPUs (Dawn's high-performance choice is taken), browsers (they have
 * navigator.gpu already, and it is used as is).
 */
import { importOptionalPeer, LlmError } from "@llm/core";
import * as tf from "@tensorflow/tfjs-core";
import { adapterLabel, describeAdapter, type GpuAdapter } from "./gpu-adapter.js";
import { type GpuStackEnvironment, gpuStackHint } from "./gpu-stack-hint.js";
import { registerWebGpuKernels } from "./register-webgpu-kernels.js";

interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<AdapterLike | null>;
}
interface AdapterLike {
  info?: Record<string, unknown>;
  isFallbackAdapter?: boolean;
}

// A variable specifier keeps bundlers and TypeScript from resolving the optional peer.
const importOptional = (specifier: string): Promise<unknown> => import(specifier);

let gpu: GpuLike | undefined;

async function navigatorGpu(): Promise<GpuLike> {
  if (gpu !== undefined) return gpu;
  const nav = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator;
  if (nav?.gpu !== undefined) {
    gpu = nav.gpu;
    return gpu;
  }
  let dawn: { create(flags: string[]): GpuLike; globals: Record<string, unknown> };
  try {
    dawn = (await importOptional("webgpu")) as typeof dawn;
  } catch (error) {
    throw new LlmError("UNSUPPORTED_BACKEND", "the npm package webgpu (Dawn for Node) is not installed", {
      input: error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error),
      hint: "Install it next to @llm/model: npm install webgpu@0.6.2 (the apps of this repository depend on it).",
    });
  }
  Object.assign(globalThis, dawn.globals);
  const created = dawn.create([]);
  if (nav !== undefined) {
    Object.defineProperty(nav, "gpu", { value: created, configurable: true });
  } else {
    Object.defineProperty(globalThis, "navigator", {
      value: { gpu: created },
      configurable: true,
      writable: true,
    });
  }
  gpu = created;
  return created;
}

/** The adapter Dawn would give tfjs-backend-webgpu, or a typed error naming what is missing. */
export async function probeWebGpuAdapter(environment: GpuStackEnvironment = {}): Promise<GpuAdapter> {
  const g = await navigatorGpu();
  const adapter = await g.requestAdapter({ powerPreference: "high-performance" });
  if (adapter === null) {
    const { missing, hint } = gpuStackHint(environment);
    throw new LlmError("UNSUPPORTED_BACKEND", `WebGPU found no adapter: missing ${missing}`, {
      input: `platform ${process.platform}`,
      hint,
    });
  }
  return describeAdapter((adapter.info ?? {}) as Record<string, string>, adapter.isFallbackAdapter === true);
}

/**
 * Activates tfjs's webgpu backend. Without `allowSoftware`, a software adapter (lavapipe) is
 * refused with a typed error, so that "auto" never runs on a CPU emulation of a GPU.
 */
export async function loadWebGpu(options: {
  allowSoftware: boolean;
  environment?: GpuStackEnvironment;
}): Promise<GpuAdapter> {
  const adapter = await probeWebGpuAdapter(options.environment);
  if (adapter.software && !options.allowSoftware) {
    throw new LlmError("UNSUPPORTED_BACKEND", `WebGPU offers only a ${adapterLabel(adapter)}`, {
      input: adapter.description || adapter.device,
      hint: "Ask for it with --backend webgpu (a correctness path, slower than wasm), or install a GPU driver.",
    });
  }
  // An optional peer like webgpu (17 MB): the backend needs both packages.
  await importOptionalPeer("@tensorflow/tfjs-backend-webgpu", "The webgpu backend", () =>
    importOptional("@tensorflow/tfjs-backend-webgpu"),
  );
  if (tf.findBackendFactory("webgpu") === null && tf.findBackend("webgpu") === null) {
    throw new LlmError(
      "UNSUPPORTED_BACKEND",
      "tfjs-backend-webgpu did not register (navigator.gpu was missing at import)",
      {
        hint: "Let initBackend import @tensorflow/tfjs-backend-webgpu: do not import it before initBackend runs.",
      },
    );
  }
  registerWebGpuKernels();
  let ok = false;
  let reason = "";
  try {
    ok = await tf.setBackend("webgpu");
    await tf.ready();
  } catch (error) {
    reason = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
  }
  if (!ok || tf.getBackend() !== "webgpu") {
    const { hint } = gpuStackHint(options.environment);
    throw new LlmError("UNSUPPORTED_BACKEND", `setBackend("webgpu") failed on ${adapterLabel(adapter)}`, {
      input: reason || "setBackend returned false (requestDevice failed)",
      hint,
    });
  }
  return adapter;
}
