/**
 * Model configuration: the `depth` dial of nanochat (d_model = 64 * depth, one layer per unit of
 * depth) plus explicit overrides, resolved into the shared GptConfig and validated.
 * Reference: nanochat's scripts/base_train.py (model_dim = depth * aspect_ratio).
 * Leaves out: grouped-query attention (n_kv_head), which nanochat has and we do not.
 */
import { type GptConfig, LlmError } from "@llm/core";

/** What a user writes: a size dial and optional overrides. Every field has a default. */
export interface ModelConfigInput {
  /** Size dial: nLayer = depth and nEmbd = 64 * depth unless overridden. Default 4. */
  depth?: number;
  /** Vocabulary size (ordinary plus special tokens). Default 4096. */
  vocabSize?: number;
  /** Context length in tokens. Default 256. */
  seqLen?: number;
  /** Number of transformer blocks. Default `depth`. */
  nLayer?: number;
  /** Residual width. Default 64 * depth. */
  nEmbd?: number;
  /** Attention heads. Default nEmbd / 64 (head dim 64), at least 1. */
  nHead?: number;
  /** RoPE base. Default 10000. */
  ropeBase?: number;
  /** Logit softcap c in c*tanh(x/c); 0 disables. Default 15. */
  softcap?: number;
  /** Smeared keys: a learned per-head gate mixes each key with the previous position's. Default false. */
  smearKeys?: boolean;
  /** Learned per-head attention gain (QKNorm, Henry et al. 2020). Default false. */
  qkGain?: boolean;
  /** The output head is the transposed token embedding (GPT-2, nanoGPT). Default false. */
  tieEmbeddings?: boolean;
}

/** A GptConfig with every optional field filled in. */
export type ResolvedGptConfig = Required<GptConfig>;

/** Resolves the depth dial and overrides into a validated, complete GptConfig. */
export function resolveGptConfig(input: ModelConfigInput | GptConfig = {}): ResolvedGptConfig {
  const depth = (input as ModelConfigInput).depth ?? 4;
  checkInt("depth", depth, 1);
  const nEmbd = input.nEmbd ?? 64 * depth;
  const config: ResolvedGptConfig = {
    vocabSize: input.vocabSize ?? 4096,
    seqLen: input.seqLen ?? 256,
    nLayer: input.nLayer ?? depth,
    nEmbd,
    nHead: input.nHead ?? Math.max(1, Math.floor(nEmbd / 64)),
    ropeBase: input.ropeBase ?? 10000,
    softcap: input.softcap ?? 15,
    smearKeys: input.smearKeys ?? false,
    qkGain: input.qkGain ?? false,
    tieEmbeddings: input.tieEmbeddings ?? false,
  };
  checkInt("vocabSize", config.vocabSize, 2);
  checkInt("seqLen", config.seqLen, 1);
  checkInt("nLayer", config.nLayer, 1);
  checkInt("nEmbd", config.nEmbd, 2);
  checkInt("nHead", config.nHead, 1);
  if (config.nEmbd % config.nHead !== 0 || (config.nEmbd / config.nHead) % 2 !== 0) {
    throw new LlmError("INVALID_CONFIG", "nEmbd must split into nHead heads of an even size", {
      input: `nEmbd=${config.nEmbd}, nHead=${config.nHead}`,
      hint: "Pick nHead so that nEmbd / nHead is an even integer (RoPE rotates pairs of dimensions).",
    });
  }
  if (!(config.ropeBase > 1)) {
    throw new LlmError("INVALID_CONFIG", "ropeBase must be greater than 1", {
      input: `ropeBase=${config.ropeBase}`,
      hint: "Use the default 10000.",
    });
  }
  if (!(config.softcap >= 0)) {
    throw new LlmError("INVALID_CONFIG", "softcap must be >= 0 (0 disables it)", {
      input: `softcap=${config.softcap}`,
      hint: "Use the default 15.",
    });
  }
  return config;
}

/**
 * Number of trainable scalars of a config: 2*V*C (embedding, head; V*C when tied) + 12*L*C^2
 * (blocks), + L*nh smear gates, + L*nh attention gains.
 */
export function countParameters(config: GptConfig): number {
  const C = config.nEmbd;
  const perHead = (config.smearKeys ? 1 : 0) + (config.qkGain ? 1 : 0);
  const tables = config.tieEmbeddings ? 1 : 2;
  return tables * config.vocabSize * C + config.nLayer * 12 * C * C + config.nLayer * config.nHead * perHead;
}

function checkInt(field: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new LlmError("INVALID_CONFIG", `${field} must be an integer >= ${min}`, {
      input: `${field}=${value}`,
      hint: `Set ${field} to a whole number of at least ${min}.`,
    });
  }
}
