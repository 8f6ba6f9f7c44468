/**
 * initBackend: picks the TensorFlow.js backend, in the order tfjs-node-gpu (CUDA), tfjs-node
 * (native CPU), tfjs-backend-wasm (the portable default), tfjs-backend-cpu, or the one asked for.
 * The two native backends are optional peers loaded by dynamic import only when installed; wasm
 * gets the training kernels it lacks registered. Reference: tfjs's backend registry
 * (tf.setBackend). Leaves out: WebGL/WebGPU (browser only) and wasm threads (Node has none).
 */
import { type Listeners, LlmError } from "@llm/core";
import * as tf from "@tensorflow/tfjs-core";
import { registerWasmKernels } from "./ops/index.js";

/** A backend a user can ask for; "auto" tries them in order. */
export type BackendName = "auto" | "tensorflow-gpu" | "tensorflow" | "wasm" | "cpu";
/** A concrete backend. */
export type ConcreteBackend = Exclude<BackendName, "auto">;

/** The order "auto" tries. */
export const BACKEND_ORDER: readonly ConcreteBackend[] = ["tensorflow-gpu", "tensorflow", "wasm", "cpu"];

/** What initBackend chose and why the ones before it were skipped. */
export interface BackendInfo {
  /** The backend now active. */
  name: ConcreteBackend;
  /** tfjs's own name for it (tf.getBackend()): "tensorflow", "wasm" or "cpu". */
  tfBackend: string;
  /** Backends tried before it, with the reason each was skipped. */
  skipped: Array<{ name: ConcreteBackend; reason: string }>;
}

/** Loads one backend and makes it active; resolves false or throws when it is unavailable. */
export type BackendLoader = () => Promise<boolean>;

export interface InitBackendOptions {
  /** Replaces the loaders (tests use this to simulate installed or missing peers). */
  loaders?: Partial<Record<ConcreteBackend, BackendLoader>>;
  /** Receives one info log line naming the backend chosen. */
  listeners?: Listeners;
}

// A variable specifier keeps bundlers and TypeScript from resolving the optional peers.
const importOptional = (specifier: string): Promise<unknown> => import(specifier);

async function activate(tfName: string): Promise<boolean> {
  if (tf.findBackendFactory(tfName) === null && tf.findBackend(tfName) === null) return false;
  const ok = await tf.setBackend(tfName);
  await tf.ready();
  return ok && tf.getBackend() === tfName;
}

const defaultLoaders: Record<ConcreteBackend, BackendLoader> = {
  "tensorflow-gpu": async () => {
    await importOptional("@tensorflow/tfjs-node-gpu");
    return activate("tensorflow");
  },
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
  const candidates = name === "auto" ? BACKEND_ORDER : [name];
  const skipped: BackendInfo["skipped"] = [];
  for (const candidate of candidates) {
    const loader = options.loaders?.[candidate] ?? defaultLoaders[candidate];
    let reason = "not registered after loading";
    try {
      if (await loader()) {
        const info: BackendInfo = { name: candidate, tfBackend: tf.getBackend(), skipped };
        active = info;
        options.listeners?.onLog?.({
          stage: "backend",
          level: "info",
          message: `tensor backend: ${candidate}${skipped.length > 0 ? ` (skipped ${skipped.map((s) => s.name).join(", ")})` : ""}`,
        });
        return info;
      }
    } catch (error) {
      reason = error instanceof Error ? (error.message.split("\n")[0] ?? "failed to load") : String(error);
    }
    skipped.push({ name: candidate, reason });
  }
  throw new LlmError("UNSUPPORTED_BACKEND", `backend "${name}" is not available`, {
    input: skipped.map((s) => `${s.name}: ${s.reason}`).join("; "),
    hint:
      name === "tensorflow" || name === "tensorflow-gpu"
        ? "Install @tensorflow/tfjs-node (or -node-gpu) next to @llm/model, or use wasm."
        : "Use backend auto.",
  });
}

let active: BackendInfo | undefined;

/** The active backend's name for events and logs ("tensorflow-gpu", "tensorflow", "wasm", "cpu"). */
export function currentBackend(): string {
  const name = tf.getBackend();
  return active !== undefined && active.tfBackend === name ? active.name : name;
}
