/**
 * Checkpoints: a folder with config.json (the GptConfig), model.safetensors (weights by their
 * README names, [in, out] layout), optimizer.safetensors (AdamW moments) and state.json (step,
 * data position, RNG state, anything else the trainer wants back). Written into a temp folder,
 * fsynced, then renamed into place, so a reader sees the old checkpoint or the new one, never half
 * (a save killed between its two renames is completed by the next load).
 * Loading checks every file and raises LlmError on a missing, corrupt, truncated or mismatched one:
 * every tensor's name, shape and dtype is checked against the config in both directions
 * (missing, unexpected, misshapen, e.g. a PyTorch [out, in] layout). A save killed before its
 * renames leaves a `.<name>.<hex>.tmp` folder: the next save (or cleanCheckpointLeftovers)
 * removes it.
 * Reference: nanochat's checkpoint_manager, Hugging Face's safetensors checkpoints.
 * Leaves out: sharded weights and keeping the last N checkpoints (the caller picks folders).
 */
import { randomBytes } from "node:crypto";
import { access, mkdir, readdir, readFile, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import {
  type BatchPosition,
  checkpointPaths,
  type GptConfig,
  LlmError,
  type RngState,
  writeFileAtomic,
} from "@llm/core";
import type { AdamW } from "./adamw.js";
import { GPT } from "./gpt.js";
import { type ResolvedGptConfig, resolveGptConfig } from "./model-config.js";
import { parameterShapes } from "./parameter-shapes.js";
import { RERUN_HINT } from "./rerun-hint.js";
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
  await cleanCheckpointLeftovers(dir);
  const suffix = randomBytes(6).toString("hex");
  const temp = join(parent, `.${basename(dir)}.${suffix}.tmp`);
  await mkdir(temp, { recursive: true });
  const files = checkpointPaths(temp);
  try {
    const config = contents.model.config;
    await writeFileAtomic(
      files.config,
      `${JSON.stringify({ format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION, ...config, parameterCount: contents.model.parameterCount() }, null, 2)}\n`,
    );
    await saveSafetensors(files.model, await contents.model.getWeights(), {
      format: "pt",
    });
    if (contents.optimizer !== undefined) {
      const opt = await contents.optimizer.getState();
      await saveSafetensors(files.optimizer, opt.tensors, {
        step: String(opt.step),
        beta1: String(contents.optimizer.beta1),
        beta2: String(contents.optimizer.beta2),
      });
    }
    const state: TrainState = contents.state ?? { step: contents.optimizer?.step ?? 0 };
    await writeFileAtomic(files.state, `${JSON.stringify(state, null, 2)}\n`);
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
  const configPath = checkpointPaths(dir).config;
  const raw = await readJson(configPath);
  if (raw.format !== undefined && raw.format !== CHECKPOINT_FORMAT) {
    throw new LlmError("UNSUPPORTED_FORMAT", `config.json has format ${String(raw.format)}`, {
      input: configPath,
      hint: `Expected "${CHECKPOINT_FORMAT}"; this folder is not an @llm/model checkpoint.`,
    });
  }
  try {
    return resolveGptConfig(raw as unknown as GptConfig);
  } catch (error) {
    throw new LlmError("FILE_CORRUPT", `config.json does not hold a valid GptConfig`, {
      input: configPath,
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
  const files = checkpointPaths(dir);
  const config = await readCheckpointConfig(dir);
  for (const [key, value] of Object.entries(expect)) {
    if (value !== undefined && config[key as keyof GptConfig] !== value) {
      throw new LlmError(
        "FILE_MISMATCH",
        `checkpoint ${key} is ${String(config[key as keyof GptConfig])}, expected ${String(value)}`,
        {
          input: files.config,
          hint: "Load the checkpoint that was trained with this tokenizer/config, or change the expected config.",
        },
      );
    }
  }
  const modelPath = files.model;
  const weights = await loadSafetensors(modelPath);
  const shapes = parameterShapes(config);
  checkTensors(weights.tensors, shapes, modelPath, config);
  let optimizerState: LoadedCheckpoint["optimizerState"];
  const optPath = files.optimizer;
  if (await exists(optPath)) {
    const opt = await loadSafetensors(optPath);
    const moments = shapes.flatMap(
      ([name, shape]): Array<[string, [number, number]]> => [
        [`${name}.exp_avg`, shape],
        [`${name}.exp_avg_sq`, shape],
      ],
    );
    checkTensors(opt.tensors, moments, optPath, config);
    optimizerState = { step: Number(opt.metadata.step ?? 0), tensors: opt.tensors };
  }
  const model = GPT.fromWeights(config, asFloatMap(weights.tensors));
  const state = (await readJson(files.state)) as TrainState;
  if (!Number.isInteger(state.step) || state.step < 0) {
    model.dispose();
    throw new LlmError("FILE_CORRUPT", "state.json has no valid step", {
      input: files.state,
      hint: "Restore the file from the run that wrote the checkpoint.",
    });
  }
  return optimizerState === undefined
    ? { dir, config, model, state }
    : { dir, config, model, optimizerState, state };
}

/**
 * Cleans what a killed save left beside `dir`: completes a save killed between its renames
 * (as loadCheckpoint does), then removes `.<name>.<hex>.tmp` folders of saves killed before
 * them (often empty) and `.old` folders of saves killed after them. Call it only as the one
 * writer of the folder (a run holding its lock): another writer's save in progress would be
 * removed. saveCheckpoint calls it first. Returns the paths it removed.
 */
export async function cleanCheckpointLeftovers(dir: string): Promise<string[]> {
  if (!(await exists(dir))) await recoverInterruptedSave(dir);
  const parent = dirname(dir);
  const leftover = new RegExp(
    `^\\.${basename(dir).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.[0-9a-f]+\\.(tmp|old)$`,
  );
  let entries: string[];
  try {
    entries = await readdir(parent);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of entries) {
    if (!leftover.test(entry)) continue;
    await rm(join(parent, entry), { recursive: true, force: true });
    removed.push(join(parent, entry));
  }
  return removed;
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

/** The config options that add or remove tensors, for the hint of a name mismatch. */
function optionHint(name: string, config: ResolvedGptConfig, unexpected: boolean): string {
  const option = name.endsWith(".attn.smear")
    ? "smearKeys"
    : name.endsWith(".attn.qk_gain")
      ? "qkGain"
      : name === "lm_head.weight"
        ? "tieEmbeddings"
        : undefined;
  if (option === undefined)
    return "The weights were saved from a model with another config: load them with that config.";
  const value = config[option as keyof ResolvedGptConfig];
  return `config.json has ${option}: ${String(value)}, but the weights were ${unexpected ? "saved with" : "saved without"} that tensor: fix config.json to match the weights.`;
}

/**
 * Checks `tensors` against the names and shapes the config needs, in both directions: every
 * expected tensor is there with that shape and dtype F32, and there is no other. FILE_MISMATCH
 * names the tensor, what was expected and what was found.
 */
export function checkTensors(
  tensors: ReadonlyMap<string, NamedArray>,
  expected: ReadonlyArray<readonly [string, readonly number[]]>,
  path: string,
  config: ResolvedGptConfig,
): void {
  const wanted = new Map(expected.map(([name, shape]) => [name, shape]));
  for (const [name, shape] of wanted) {
    const found = tensors.get(name);
    if (found === undefined) {
      throw new LlmError("FILE_MISMATCH", `${path} has no tensor ${name} (expected shape [${shape}])`, {
        input: path,
        hint: optionHint(name, config, false),
      });
    }
    if (found.shape.join(",") !== shape.join(",")) {
      const transposed =
        found.shape.length === 2 && found.shape[0] === shape[1] && found.shape[1] === shape[0];
      throw new LlmError(
        "FILE_MISMATCH",
        `${path}: tensor ${name} has shape [${found.shape}], the config needs [${shape}]`,
        {
          input: path,
          hint: transposed
            ? "It is stored transposed: our linear weights are [in, out]; PyTorch's nn.Linear keeps [out, in] (transpose before saving)."
            : "The weights were saved from a model with another config (width, depth, vocabulary): load them with that config.",
        },
      );
    }
    if (!(found.data instanceof Float32Array)) {
      throw new LlmError("FILE_MISMATCH", `${path}: tensor ${name} is not float32 (expected F32)`, {
        input: path,
        hint: "Save the weights as F32 (F16 and integer tensors are not loaded as weights).",
      });
    }
  }
  for (const name of tensors.keys()) {
    if (!wanted.has(name)) {
      throw new LlmError("FILE_MISMATCH", `${path} holds tensor ${name}, which the config does not use`, {
        input: path,
        hint: optionHint(name, config, true),
      });
    }
  }
}

function asFloatMap(tensors: Map<string, NamedArray>): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const [name, t] of tensors) out.set(name, t.data as Float32Array);
  return out;
}

async function readJson(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new LlmError("FILE_NOT_FOUND", `cannot read ${path}`, {
      input: path,
      hint: RERUN_HINT,
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
      hint: `The file is truncated or damaged. ${RERUN_HINT}`,
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
