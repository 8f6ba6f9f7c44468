/**
 * Checkpoints: a folder with config.json (the GptConfig), model.safetensors (weights by their
 * README names, [in, out] layout), optimizer.safetensors (AdamW moments) and state.json (step,
 * data position, RNG state, anything else the trainer wants back). Written into a temp folder,
 * fsynced, then renamed into place, so a reader sees the old checkpoint or the new one, never half
 * (a save killed between its two renames is completed by the next load).
 * Loading checks every file and raises LlmError on a missing, corrupt, truncated or mismatched one.
 * Reference: nanochat's checkpoint_manager, Hugging Face's safetensors checkpoints.
 * Leaves out: sharded weights and keeping the last N checkpoints (the caller picks folders).
 */
import { randomBytes } from "node:crypto";
import { access, mkdir, readdir, readFile, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { type BatchPosition, type GptConfig, LlmError, type RngState, writeFileAtomic } from "@llm/core";
import type { AdamW } from "./adamw.js";
import { GPT } from "./gpt.js";
import { type ResolvedGptConfig, resolveGptConfig } from "./model-config.js";
import { loadSafetensors, type NamedArray, saveSafetensors } from "./safetensors.js";

/** Identifies our config.json. */
export const CHECKPOINT_FORMAT = "llm-model/gpt";
export const CHECKPOINT_VERSION = 1;

/** What state.json holds. Extra fields are kept as they are. */
export interface TrainState {
  /** Optimizer steps completed. */
  step: number;
  /** Steps the run was configured for. */
  totalSteps?: number;
  /** "pretrain", "sft", "rl", ... */
  stage?: string;
  /** The training BatchSource's position after `step` steps. */
  dataPosition?: BatchPosition;
  /** The trainer's RNG state. */
  rng?: RngState;
  [key: string]: unknown;
}

export interface CheckpointContents {
  model: GPT;
  /** Omit to save weights only (an inference export); loadCheckpoint then returns no optimizer state. */
  optimizer?: AdamW;
  state?: TrainState;
}

/** What loadCheckpoint returns. */
export interface LoadedCheckpoint {
  dir: string;
  config: ResolvedGptConfig;
  model: GPT;
  /** AdamW moments and step, for `optimizer.setState`; absent when the checkpoint has none. */
  optimizerState?: { step: number; tensors: Map<string, NamedArray> };
  state: TrainState;
}

/** Saves a checkpoint folder atomically (replacing an existing one at `dir`). */
export async function saveCheckpoint(dir: string, contents: CheckpointContents): Promise<void> {
  const parent = dirname(dir);
  await mkdir(parent, { recursive: true });
  const suffix = randomBytes(6).toString("hex");
  const temp = join(parent, `.${basename(dir)}.${suffix}.tmp`);
  await mkdir(temp, { recursive: true });
  try {
    const config = contents.model.config;
    await writeFileAtomic(
      join(temp, "config.json"),
      `${JSON.stringify({ format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION, ...config, parameterCount: contents.model.parameterCount() }, null, 2)}\n`,
    );
    await saveSafetensors(join(temp, "model.safetensors"), await contents.model.getWeights(), {
      format: "pt",
    });
    if (contents.optimizer !== undefined) {
      const opt = await contents.optimizer.getState();
      await saveSafetensors(join(temp, "optimizer.safetensors"), opt.tensors, {
        step: String(opt.step),
        beta1: String(contents.optimizer.beta1),
        beta2: String(contents.optimizer.beta2),
      });
    }
    const state: TrainState = contents.state ?? { step: contents.optimizer?.step ?? 0 };
    await writeFileAtomic(join(temp, "state.json"), `${JSON.stringify(state, null, 2)}\n`);
    let old: string | undefined;
    if (await exists(dir)) {
      old = join(parent, `.${basename(dir)}.${suffix}.old`);
      await rename(dir, old);
    }
    await rename(temp, dir);
    if (old !== undefined) await rm(old, { recursive: true, force: true });
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw new LlmError("CHECKPOINT_ERROR", `could not save the checkpoint to ${dir}`, {
      input: dir,
      hint: "Check that the folder is writable and the disk has space.",
      cause: error,
    });
  }
}

/** Reads the GptConfig of a checkpoint folder without loading weights. */
export async function readCheckpointConfig(dir: string): Promise<ResolvedGptConfig> {
  const raw = await readJson(join(dir, "config.json"));
  if (raw.format !== undefined && raw.format !== CHECKPOINT_FORMAT) {
    throw new LlmError("UNSUPPORTED_FORMAT", `config.json has format ${String(raw.format)}`, {
      input: join(dir, "config.json"),
      hint: `Expected "${CHECKPOINT_FORMAT}"; this folder is not an @llm/model checkpoint.`,
    });
  }
  try {
    return resolveGptConfig(raw as unknown as GptConfig);
  } catch (error) {
    throw new LlmError("FILE_CORRUPT", `config.json does not hold a valid GptConfig`, {
      input: join(dir, "config.json"),
      hint: "Restore the file from the run that wrote the checkpoint.",
      cause: error,
    });
  }
}

/**
 * Loads a checkpoint folder. With `expect`, every given config field must match the checkpoint's
 * (FILE_MISMATCH otherwise), e.g. the vocabSize of the tokenizer in use.
 */
export async function loadCheckpoint(
  dir: string,
  expect: Partial<GptConfig> = {},
): Promise<LoadedCheckpoint> {
  if (!(await exists(dir))) await recoverInterruptedSave(dir);
  if (!(await exists(dir))) {
    throw new LlmError("FILE_NOT_FOUND", `no checkpoint at ${dir}`, {
      input: dir,
      hint: "Point at a folder holding config.json, model.safetensors and state.json.",
    });
  }
  const config = await readCheckpointConfig(dir);
  for (const [key, value] of Object.entries(expect)) {
    if (value !== undefined && config[key as keyof GptConfig] !== value) {
      throw new LlmError(
        "FILE_MISMATCH",
        `checkpoint ${key} is ${String(config[key as keyof GptConfig])}, expected ${String(value)}`,
        {
          input: join(dir, "config.json"),
          hint: "Load the checkpoint that was trained with this tokenizer/config, or change the expected config.",
        },
      );
    }
  }
  const weights = await loadSafetensors(join(dir, "model.safetensors"));
  const model = GPT.fromWeights(config, asFloatMap(weights.tensors, join(dir, "model.safetensors")));
  let optimizerState: LoadedCheckpoint["optimizerState"];
  const optPath = join(dir, "optimizer.safetensors");
  if (await exists(optPath)) {
    const opt = await loadSafetensors(optPath);
    optimizerState = { step: Number(opt.metadata.step ?? 0), tensors: opt.tensors };
  }
  const state = (await readJson(join(dir, "state.json"))) as TrainState;
  if (!Number.isInteger(state.step) || state.step < 0) {
    model.dispose();
    throw new LlmError("FILE_CORRUPT", "state.json has no valid step", {
      input: join(dir, "state.json"),
      hint: "Restore the file from the run that wrote the checkpoint.",
    });
  }
  return optimizerState === undefined
    ? { dir, config, model, state }
    : { dir, config, model, optimizerState, state };
}

/**
 * A save killed between its two renames leaves `dir` missing, the previous checkpoint at
 * `.<name>.<id>.old` and the new one, complete, at `.<name>.<id>.tmp`: move the new one into place.
 */
async function recoverInterruptedSave(dir: string): Promise<void> {
  const parent = dirname(dir);
  const name = basename(dir);
  let entries: string[];
  try {
    entries = await readdir(parent);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.startsWith(`.${name}.`) || !entry.endsWith(".old")) continue;
    const old = join(parent, entry);
    const temp = join(parent, `${entry.slice(0, -".old".length)}.tmp`);
    if (await exists(temp)) {
      await rename(temp, dir);
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(old, dir);
    }
    return;
  }
}

function asFloatMap(tensors: Map<string, NamedArray>, path: string): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const [name, t] of tensors) {
    if (!(t.data instanceof Float32Array)) {
      throw new LlmError("FILE_MISMATCH", `weight ${name} is not float32`, {
        input: path,
        hint: "Save weights as F32.",
      });
    }
    out.set(name, t.data);
  }
  return out;
}

async function readJson(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new LlmError("FILE_NOT_FOUND", `cannot read ${path}`, {
      input: path,
      hint: "The checkpoint folder is incomplete; resume from another checkpoint.",
      cause: error,
    });
  }
  try {
    const value = JSON.parse(text);
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("not an object");
    return value as Record<string, unknown>;
  } catch (error) {
    throw new LlmError("FILE_CORRUPT", `${path} is not a JSON object`, {
      input: path,
      hint: "The file is truncated or damaged; restore it or resume from an earlier checkpoint.",
      cause: error,
    });
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
