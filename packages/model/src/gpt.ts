/**
 * GPT: the nanochat-style transformer of architecture.md on TensorFlow.js. Untied token embedding
 * and output head (tied with config.tieEmbeddings), parameter-free RMSNorm (after the embedding, before each sub-block and the
 * head), causal self-attention with half-split RoPE then per-head RMSNorm of q and k, ReLU^2 MLP
 * of width 4*C, no biases, logits softcapped with c*tanh(x/c). Linear weights are stored [in, out]
 * so that x @ w needs no transpose on tfjs-backend-wasm's fast path. The heavy math goes through
 * ./ops (linear, causalAttention, embeddingLookup, ropeNormHeads, rmsNorm, reluSquared and the
 * fused softcapped cross-entropy; kvAppend for a cached step's keys and values), which have
 * fused kernels on wasm. Optional smeared keys
 * (config.smearKeys, Olsson et al. 2022) gate each key with the previous position's; optional
 * learned per-head attention gains (config.qkGain, QKNorm of Henry et al. 2020) scale the queries.
 * Reference: nanochat's gpt.py, nanoGPT's model.py. Leaves out: dropout, grouped-query attention,
 * value embeddings and the Muon optimizer of newer nanochat versions.
 */
import { type GptConfig, type LanguageModel, LlmError, Rng } from "@llm/core";
import * as tf from "@tensorflow/tfjs-core";
import {
  countParameters,
  type ModelConfigInput,
  type ResolvedGptConfig,
  resolveGptConfig,
} from "./model-config.js";
import {
  causalAttention,
  embeddingLookup,
  kvAppend,
  linear,
  linearTransposed,
  rmsNorm as opsRmsNorm,
  reluSquared,
  ropeNormHeads,
  smearKeys,
  softcapCrossEntropy,
  softmaxCrossEntropy,
  targetLogProbs,
} from "./ops/index.js";
import { parameterShapes } from "./parameter-shapes.js";
import { rotaryTables } from "./rotary-tables.js";

/** Epsilon inside every RMSNorm: x / sqrt(mean(x^2) + eps). */
export const RMS_NORM_EPS = 1e-6;

/** tf.tidy for a function returning an object of tensors (nested arrays included), typed. */
export function tidyObject<T>(fn: () => T): T {
  return tf.tidy(fn as unknown as () => tf.TensorContainer) as unknown as T;
}

/** Options for a new GPT. */
export interface GptOptions {
  /** Seed of the weight initialisation; the same seed gives the same weights. Default 0. */
  seed?: number;
  /** false: start from zeros (the caller sets weights next, e.g. from a checkpoint). Default true. */
  init?: boolean;
}

/**
 * Per-layer key/value tensors of an inference cache, each [B, nh, Tpast, hs]. `keys` are the keys
 * attention reads (already smeared when config.smearKeys); `lastKeys` ([B, nh, 1, hs] per layer,
 * smearKeys models only) is the last position's raw key, which smears the next position's key.
 */
export interface KvTensors {
  keys: tf.Tensor4D[];
  values: tf.Tensor4D[];
  lastKeys?: tf.Tensor4D[];
}

/** Applies fn to every tensor of a cache (e.g. gather rows); lastKeys kept when present. */
export function mapKv(kv: KvTensors, fn: (t: tf.Tensor4D) => tf.Tensor4D): KvTensors {
  const out: KvTensors = { keys: kv.keys.map(fn), values: kv.values.map(fn) };
  if (kv.lastKeys !== undefined) out.lastKeys = kv.lastKeys.map(fn);
  return out;
}

/** Every tensor of a cache, for dispose. */
export function kvTensorList(kv: KvTensors): tf.Tensor4D[] {
  return [...kv.keys, ...kv.values, ...(kv.lastKeys ?? [])];
}

/** Parameter-free RMSNorm over the last axis with the model's epsilon. */
export function rmsNorm<T extends tf.Tensor>(x: T): T {
  return opsRmsNorm(x, RMS_NORM_EPS);
}

/** Throws a clear LlmError when no tfjs backend has been set up yet. */
function requireBackend(): void {
  let name: string | undefined;
  try {
    name = tf.getBackend();
  } catch {
    name = undefined;
  }
  if (!name) {
    throw new LlmError("UNSUPPORTED_BACKEND", "no TensorFlow.js backend is active", {
      hint: 'Call `await initBackend("auto")` from @llm/model before creating or loading a model.',
    });
  }
}

export class GPT implements LanguageModel<tf.Tensor> {
  readonly config: Readonly<ResolvedGptConfig>;
  private readonly weights = new Map<string, tf.Variable>();
  private disposed = false;

  /** A new model with seeded random weights (nanochat's init: zeroed output projections and head). */
  constructor(config: ModelConfigInput | GptConfig = {}, options: GptOptions = {}) {
    this.config = Object.freeze(resolveGptConfig(config));
    requireBackend();
    const rng = new Rng(options.seed ?? 0);
    for (const [name, shape] of parameterShapes(this.config)) {
      const data = new Float32Array(shape[0] * shape[1]);
      // smear gates start at logit 0: each key half its own, half the previous position's
      const zeroed =
        name === "lm_head.weight" || name.endsWith(".c_proj.weight") || name.endsWith(".attn.smear");
      if (name.endsWith(".attn.qk_gain")) {
        // QKNorm's initial gain log2(T^2 - T) over the sqrt(head dim) the attention divides by
        const hs = this.config.nEmbd / this.config.nHead;
        const T = this.config.seqLen;
        data.fill(Math.log2(Math.max(2, T * T - T)) / Math.sqrt(hs));
      } else if (!zeroed && options.init !== false) {
        // embedding: N(0, 1); linear [in, out]: N(0, 1/sqrt(in) * min(1, sqrt(out/in))) (arXiv 2310.17022)
        // (tied: N(0, 1/sqrt(C)): the head's initial logits are of unit scale, the input token's sqrt(C))
        const std =
          name === "transformer.wte.weight"
            ? this.config.tieEmbeddings
              ? 1 / Math.sqrt(shape[1])
              : 1
            : Math.min(1, Math.sqrt(shape[1] / shape[0])) / Math.sqrt(shape[0]);
        for (let i = 0; i < data.length; i++) data[i] = rng.normal() * std;
      }
      this.weights.set(
        name,
        tf.tidy(() => tf.variable(tf.tensor2d(data, shape), true)),
      );
    }
  }

  /** A model with the given weights (e.g. from a checkpoint); every weight must be present with its shape. */
  static fromWeights(
    config: ModelConfigInput | GptConfig,
    weights: ReadonlyMap<string, tf.Tensor | Float32Array>,
  ): GPT {
    const model = new GPT(config, { init: false });
    model.setWeights(weights);
    return model;
  }

  /** An independent copy of this model (same config, copied weights), e.g. a frozen RL reference. */
  clone(): GPT {
    return GPT.fromWeights(this.config, this.weights);
  }

  /** Overwrites every weight; throws FILE_MISMATCH naming the first missing or misshapen one. */
  setWeights(weights: ReadonlyMap<string, tf.Tensor | Float32Array>): void {
    for (const [name, shape] of parameterShapes(this.config)) {
      const value = weights.get(name);
      if (value === undefined) {
        throw new LlmError("FILE_MISMATCH", `weight ${name} is missing`, {
          input: name,
          hint: "The weights were saved from a model with a different config; load them with that config.",
        });
      }
      const size = shape[0] * shape[1];
      const valueShape = value instanceof Float32Array ? [value.length] : value.shape;
      const valueSize = value instanceof Float32Array ? value.length : value.size;
      const shapeOk =
        value instanceof Float32Array ? valueSize === size : valueShape.join(",") === shape.join(",");
      if (!shapeOk) {
        throw new LlmError(
          "FILE_MISMATCH",
          `weight ${name} has shape [${valueShape}], the config needs [${shape}]`,
          {
            input: name,
            hint: "The weights were saved from a model with a different config; load them with that config.",
          },
        );
      }
      const variable = this.weights.get(name) as tf.Variable;
      tf.tidy(() =>
        variable.assign(value instanceof Float32Array ? tf.tensor2d(value, shape) : tf.reshape(value, shape)),
      );
    }
  }

  /** A copy of every weight as plain data, in checkpoint order. */
  async getWeights(): Promise<Map<string, { shape: number[]; data: Float32Array }>> {
    const out = new Map<string, { shape: number[]; data: Float32Array }>();
    for (const [name, variable] of this.weights) {
      out.set(name, { shape: [...variable.shape], data: (await variable.data()) as Float32Array });
    }
    return out;
  }

  parameters(): ReadonlyMap<string, tf.Variable> {
    return this.weights;
  }

  parameterCount(): number {
    return countParameters(this.config);
  }

  /** Logits [B, T, V] for int32 ids [B, T]. */
  forward(ids: tf.Tensor): tf.Tensor3D {
    return tf.tidy(() => {
      const [B, T] = this.checkIds(ids);
      const { logits } = this.run(ids as tf.Tensor2D, 0);
      return tf.reshape(logits, [B, T, this.config.vocabSize]) as tf.Tensor3D; // [B, T, V]
    });
  }

  /** Mean next-token cross-entropy; with a mask [B, T] (1 = counts), sum(mask*CE)/sum(mask). */
  loss(inputs: tf.Tensor, targets: tf.Tensor, mask?: tf.Tensor): tf.Scalar {
    return tf.tidy(() => {
      this.checkIds(inputs);
      const { softcap } = this.config;
      const { logits } = this.run(inputs as tf.Tensor2D, 0, undefined, { softcap: false }); // [N, V] before the softcap
      const flatTargets = tf.reshape(tf.cast(targets, "int32"), [-1]) as tf.Tensor1D; // [N]
      const flatMask =
        mask === undefined ? undefined : (tf.reshape(tf.cast(mask, "float32"), [-1]) as tf.Tensor1D);
      return softcap > 0
        ? softcapCrossEntropy(logits, flatTargets, softcap, flatMask) // fused CE of softcap*tanh(logits/softcap)
        : softmaxCrossEntropy(logits, flatTargets, flatMask);
    });
  }

  /** log p(target) per position [B, T], differentiable (for policy-gradient losses). */
  tokenLogProbs(inputs: tf.Tensor, targets: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => {
      const [B, T] = this.checkIds(inputs);
      const { logits } = this.run(inputs as tf.Tensor2D, 0); // [N, V]
      return tf.reshape(targetLogProbs(logits, targets), [B, T]) as tf.Tensor2D; // [B, T], no [N, V] one-hot
    });
  }

  /**
   * One forward pass over ids [B, T] at absolute positions [start, start + T), attending to the
   * cached keys/values `past` when given. Returns logits [B*T, V] and the cache after this call
   * (`past` followed by these T positions: [B, nh, Tpast + T, hs] per layer, rotated, normed and
   * smeared), which the caller keeps in place of `past`. Smeared keys are cached, so a step smears
   * only its own T keys (with the cached last raw key), not the whole sequence again. With
   * `{ softcap: false }` the logits are returned before the softcap (for the fused loss).
   * Call inside tf.tidy or dispose the results.
   */
  run(
    ids: tf.Tensor2D,
    start: number,
    past?: KvTensors,
    options: { softcap?: boolean } = {},
  ): { logits: tf.Tensor2D; kv: KvTensors } {
    if (this.disposed)
      throw new LlmError("INVALID_ARGUMENT", "this model was disposed", {
        hint: "Create or load a new model.",
      });
    const { nEmbd: C, nHead: nh, nLayer, softcap } = this.config;
    const hs = C / nh;
    const [B, T] = ids.shape;
    const N = B * T;
    return tidyObject(() => {
      const tables = rotaryTables(hs, start, T, this.config.ropeBase);
      const cos = tf.tensor2d(tables.cos, [T, hs / 2]); // [T, hs/2]
      const sin = tf.tensor2d(tables.sin, [T, hs / 2]); // [T, hs/2]
      const keys: tf.Tensor4D[] = [];
      const values: tf.Tensor4D[] = [];
      const lastKeys: tf.Tensor4D[] = [];
      const emb = embeddingLookup(this.weight("transformer.wte.weight"), tf.reshape(ids, [N])); // [N, C]
      let x = rmsNorm(tf.reshape(emb, [N, C]) as tf.Tensor2D); // [N, C]
      for (let i = 0; i < nLayer; i++) {
        const p = `transformer.h.${i}`;
        // attention
        const xn = rmsNorm(x); // [N, C]
        const project = (w: string): tf.Tensor2D => linear(xn, this.weight(`${p}.attn.${w}.weight`)); // [N, C]
        const qNormed = ropeNormHeads(project("c_q"), B, T, nh, cos, sin, RMS_NORM_EPS); // [B, nh, T, hs]
        const q = this.config.qkGain
          ? (tf.mul(qNormed, tf.reshape(this.weight(`${p}.attn.qk_gain`), [1, nh, 1, 1])) as tf.Tensor4D) // [B, nh, T, hs]
          : qNormed;
        const k = ropeNormHeads(project("c_k"), B, T, nh, cos, sin, RMS_NORM_EPS); // [B, nh, T, hs]
        const pastK = past?.keys[i];
        const pastV = past?.values[i];
        const gate = this.config.smearKeys ? this.weight(`${p}.attn.smear`) : undefined; // [1, nh]
        const prevRaw = past?.lastKeys?.[i]; // [B, nh, 1, hs]
        if (gate !== undefined && pastK !== undefined && prevRaw === undefined)
          throw new LlmError("INVALID_ARGUMENT", "a smearKeys model needs the cache's lastKeys", {
            hint: "Pass the cache that run returned.",
          });
        let kAll: tf.Tensor4D; // [B, nh, Tpast + T, hs], what attention reads (smeared when configured)
        let vAll: tf.Tensor4D; // [B, nh, Tpast + T, hs]
        if (pastK !== undefined && pastV !== undefined) {
          // a cached step: append the new keys (smeared with the cache's last raw key) and values
          const appended = kvAppend({
            pastK,
            pastV,
            k,
            vRows: project("c_v"),
            ...(gate !== undefined && prevRaw !== undefined ? { smear: { prevRaw, gate } } : {}),
          });
          kAll = appended.keys;
          vAll = appended.values;
          if (gate !== undefined) lastKeys.push(appended.lastRaw);
        } else {
          kAll = gate !== undefined ? smearKeys(k, gate) : k;
          vAll = tf.transpose(tf.reshape(project("c_v"), [B, T, nh, hs]), [0, 2, 1, 3]) as tf.Tensor4D;
          if (gate !== undefined) lastKeys.push(tf.slice(k, [0, 0, T - 1, 0], [B, nh, 1, hs]) as tf.Tensor4D);
        }
        keys.push(kAll);
        values.push(vAll);
        const y = causalAttention(q, kAll, vAll); // [B, nh, T, hs]
        const merged = tf.reshape(tf.transpose(y, [0, 2, 1, 3]), [N, C]) as tf.Tensor2D; // [N, C]
        x = tf.add(x, linear(merged, this.weight(`${p}.attn.c_proj.weight`))); // [N, C]
        // MLP
        const h = reluSquared(linear(rmsNorm(x), this.weight(`${p}.mlp.c_fc.weight`))); // [N, 4C]
        x = tf.add(x, linear(h, this.weight(`${p}.mlp.c_proj.weight`))); // [N, C]
      }
      const xf = rmsNorm(x); // [N, C]
      let logits = this.config.tieEmbeddings
        ? linearTransposed(xf, this.weight("transformer.wte.weight")) // [N, C] @ wte^T -> [N, V]
        : linear(xf, this.weight("lm_head.weight")); // [N, V]
      if (softcap > 0 && options.softcap !== false)
        logits = tf.mul(tf.tanh(tf.div(logits, softcap)), softcap) as tf.Tensor2D; // [N, V]
      const kv: KvTensors = { keys, values };
      if (this.config.smearKeys) kv.lastKeys = lastKeys;
      return { logits, kv };
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const variable of this.weights.values()) variable.dispose();
  }

  private weight(name: string): tf.Tensor2D {
    return this.weights.get(name) as tf.Variable as unknown as tf.Tensor2D;
  }

  private checkIds(ids: tf.Tensor): [number, number] {
    if (ids.rank !== 2) {
      throw new LlmError("INVALID_ARGUMENT", `ids must be [B, T], got shape [${ids.shape}]`, {
        input: `[${ids.shape}]`,
        hint: "Reshape the token ids to [batch, time].",
      });
    }
    const [B, T] = ids.shape as [number, number];
    if (T > this.config.seqLen) {
      throw new LlmError(
        "INVALID_ARGUMENT",
        `sequence length ${T} exceeds the model context ${this.config.seqLen}`,
        {
          input: `T=${T}`,
          hint: "Crop the input to the last seqLen tokens.",
        },
      );
    }
    return [B, T];
  }
}
