/**
 * initBackend: picks the TensorFlow.js backend, in the order tfjs-node-gpu (CUDA, only when
 * TensorFlow really found a GPU), webgpu (Dawn through the npm package `webgpu`, only on a
 * hardware adapter), tfjs-node (native CPU), tfjs-backend-wasm (the portable default),
 * tfjs-backend-cpu, or the one asked for. The native backends and `webgpu` are optional peers
 * loaded by dynamic import only when installed; wasm and webgpu get our kernels registered. A
 * software WebGPU adapter (lavapipe) is used only when webgpu is asked for by name, and is
 * labelled as software. Reference: tfjs's backend registry (tf.setBackend). Leaves out: WebGL
 * (browser only) and wasm threads (Node has none).
 */
import { isLlmError, type Listeners, LlmError } from "@llm/core";
import * as tf from "@tensorflow/tfjs-core";
import { registerWasmKernels } from "./ops/index.js";
import { adapterLabel, type GpuAdapter } from "./webgpu/gpu-adapter.js";
import { loadWebGpu } from "./webgpu/load-webgpu.js";

/** A backend a user can ask for; "auto" tries them in order. */
export type BackendName = "auto" | "tensorflow-gpu" | "webgpu" | "tensorflow" | "wasm" | "cpu";
/** A concrete backend. */
export type ConcreteBackend = Exclude<BackendName, "auto">;

/** The order "auto" tries. */
export const BACKEND_ORDER: readonly ConcreteBackend[] = [
  "tensorflow-gpu",
  "webgpu",
  "tensorflow",
  "wasm",
  "cpu",
];

/** Backends whose tensors live in GPU memory: read them with `await t.data()`, never dataSync. */
export function isGpuBackend(name: string): boolean {
  return name === "webgpu" || name === "tensorflow-gpu";
}

/** What initBackend chose and why the ones before it were skipped. */
export interface BackendInfo {
  /** The backend now active. */
  name: ConcreteBackend;
  /** tfjs's own name for it (tf.getBackend()): "tensorflow", "webgpu", "wasm" or "cpu". */
  tfBackend: string;
  /** One line for logs and reports: the name, plus the adapter for webgpu ("webgpu on GPU nvidia ..."). */
  label: string;
  /** The WebGPU adapter (webgpu only): vendor, architecture, description, software or not. */
  adapter?: GpuAdapter;
  /** Backends tried before it, with the reason each was skipped. */
  skipped: Array<{ name: ConcreteBackend; reason: string }>;
}

/** What a loader may learn about the device it activated. */
export interface LoadedBackend {
  adapter?: GpuAdapter;
}

/**
 * Loads one backend and makes it active; resolves false (or throws) when it is unavailable.
 * `explicit` is true when the user named this backend (not "auto"): only then may webgpu run on
 * a software adapter.
 */
export type BackendLoader = (request: {
  explicit: boolean;
  vulkanDriverFiles?: string | undefined;
}) => Promise<boolean | LoadedBackend>;

export interface InitBackendOptions {
  /** Replaces the loaders (tests use this to simulate installed or missing peers). */
  loaders?: Partial<Record<ConcreteBackend, BackendLoader>>;
  /**
   * The caller reads tensors with dataSync/arraySync (RL, the chat engine, probes): "auto" then
   * skips webgpu (its tensors can only be read with `await data()` in Node), and asking for
   * webgpu by name is a typed error. Default false.
   */
  syncReads?: boolean;
  /** Receives one info log line naming the backend chosen (a warning for a software adapter). */
  listeners?: Listeners;
  /**
   * The process's VK_DRIVER_FILES (or VK_ICD_FILENAMES), when set: webgpu's no-adapter error
   * then names that driver list. Apps pass it from process.env; the package reads no environment.
   */
  vulkanDriverFiles?: string | undefined;
}

// A variable specifier keeps bundlers and TypeScript from resolving the optional peers.
const importOptional = (specifier: string): Promise<unknown> => import(specifier);

async function activate(tfName: string): Promise<boolean> {
  if (tf.findBackendFactory(tfName) === null && tf.findBackend(tfName) === null) return false;
  const ok = await tf.setBackend(tfName);
  await tf.ready();
  return ok && tf.getBackend() === tfName;
}

/**
 * Throws unless tfjs-node-gpu's backend says TensorFlow is using a GPU device: libtensorflow 2.9
 * quietly runs on the CPU when it cannot load CUDA 11.2 / cuDNN 8.1.
 */
export function assertTensorFlowFoundGpu(backend: unknown): void {
  if ((backend as { isUsingGpuDevice?: boolean }).isUsingGpuDevice === true) return;
  throw new LlmError("UNSUPPORTED_BACKEND", "tfjs-node-gpu loaded, but TensorFlow found no GPU", {
    hint: "libtensorflow 2.9.1 needs CUDA 11.2 and cuDNN 8.1 (libcudart.so.11.0, libcudnn.so.8) on the library path; or use webgpu.",
  });
}

const defaultLoaders: Record<ConcreteBackend, BackendLoader> = {
  "tensorflow-gpu": async () => {
    await importOptional("@tensorflow/tfjs-node-gpu");
    if (!(await activate("tensorflow"))) return false;
    assertTensorFlowFoundGpu(tf.backend());
    return true;
  },
  webgpu: async ({ explicit, vulkanDriverFiles }) => ({
    adapter: await loadWebGpu({
      allowSoftware: explicit,
      environment: { vulkanDriverFiles },
    }),
  }),
  tensorflow: async () => {
    await importOptional("@tensorflow/tfjs-node");
    return activate("tensorflow");
  },
  wasm: async () => {
    await import("@tensorflow/tfjs-backend-wasm");
    registerWasmKernels();
    return activate("wasm");
  },
  cpu: async () => {
    await import("@tensorflow/tfjs-backend-cpu");
    return activate("cpu");
  },
};

/** Makes `name` (or the first available backend, for "auto") the active tfjs backend. */
export async function initBackend(
  name: BackendName = "auto",
  options: InitBackendOptions = {},
): Promise<BackendInfo> {
  if (name !== "auto" && !BACKEND_ORDER.includes(name)) {
    throw new LlmError("UNSUPPORTED_BACKEND", `unknown backend "${name}"`, {
      input: String(name),
      hint: `Use one of auto, ${BACKEND_ORDER.join(", ")}.`,
    });
  }
  const explicit = name !== "auto";
  if (name === "webgpu" && options.syncReads === true) {
    throw new LlmError(
      "UNSUPPORTED_BACKEND",
      "this command reads tensors synchronously, which webgpu cannot do in Node",
      {
        input: "webgpu",
        hint: "Run it with --backend wasm (or auto); training and generation (llm-model train/sample/eval, llm-sft train, the pipeline's pretrain and sft stages) run on webgpu.",
      },
    );
  }
  const candidates = explicit
    ? [name]
    : BACKEND_ORDER.filter((b) => !(options.syncReads === true && b === "webgpu"));
  const skipped: BackendInfo["skipped"] = [];
  let lastHint: string | undefined;
  for (const candidate of candidates) {
    const loader = options.loaders?.[candidate] ?? defaultLoaders[candidate];
    let reason = "not registered after loading";
    try {
      const loaded = await loader({ explicit, vulkanDriverFiles: options.vulkanDriverFiles });
      if (loaded !== false) {
        const adapter = typeof loaded === "object" ? loaded.adapter : undefined;
        const label = adapter ? `${candidate} on ${adapterLabel(adapter)}` : candidate;
        const info: BackendInfo = {
          name: candidate,
          tfBackend: tf.getBackend(),
          label,
          ...(adapter ? { adapter } : {}),
          skipped,
        };
        active = info;
        const skippedNote = skipped.length > 0 ? ` (skipped ${skipped.map((s) => s.name).join(", ")})` : "";
        options.listeners?.onLog?.({
          stage: "backend",
          level: adapter?.software ? "warn" : "info",
          message: `tensor backend: ${label}${skippedNote}`,
        });
        return info;
      }
    } catch (error) {
      reason = error instanceof Error ? (error.message.split("\n")[0] ?? "failed to load") : String(error);
      if (isLlmError(error)) {
        lastHint = error.hint;
        reason = reason.split(" Hint: ")[0] ?? reason;
      }
    }
    skipped.push({ name: candidate, reason });
  }
  throw new LlmError("UNSUPPORTED_BACKEND", `backend "${name}" is not available`, {
    input: skipped.map((s) => `${s.name}: ${s.reason}`).join("; "),
    hint:
      name === "tensorflow" || name === "tensorflow-gpu"
        ? `Install @tensorflow/tfjs-node (or -node-gpu) next to @llm/model, or use wasm.${lastHint ? ` ${lastHint}` : ""}`
        : (lastHint ?? "Use backend auto."),
  });
}

let active: BackendInfo | undefined;

/** The active backend's name for events and logs ("tensorflow-gpu", "webgpu", "webgpu-software", "tensorflow", "wasm", "cpu"). */
export function currentBackend(): string {
  const name = tf.getBackend();
  if (active === undefined || active.tfBackend !== name) return name;
  return active.adapter?.software ? `${active.name}-software` : active.name;
}

/** What initBackend chose last, while it is still the active tfjs backend. */
export function activeBackend(): BackendInfo | undefined {
  return active !== undefined && active.tfBackend === tf.getBackend() ? active : undefined;
}
