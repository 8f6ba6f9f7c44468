/**
 * The LanguageModel contract and the GPT configuration shared by trainers, checkpoints, probes
 * and apps. Generic over the tensor type so that core stays free of TensorFlow.js.
 * Reference: nanochat's GPTConfig and GPT.forward. Leaves out: optimisers (see @llm/model).
 */

/** The architecture of a nanochat-style GPT (see architecture.md). */
export interface GptConfig {
  /** Vocabulary size, ordinary plus special tokens. */
  vocabSize: number;
  /** Maximum context length in tokens. */
  seqLen: number;
  /** Number of transformer blocks. */
  nLayer: number;
  /** Number of attention heads (head dim = nEmbd / nHead). */
  nHead: number;
  /** Width of the residual stream. */
  nEmbd: number;
  /** RoPE base. Default 10000. */
  ropeBase?: number;
  /** Logit softcap c in c*tanh(x/c); 0 disables. Default 15. */
  softcap?: number;
  /**
   * Smeared keys (Olsson et al. 2022): each head mixes the key at position t with the key at t-1
   * through a learned gate, so that one layer can attend to "the token after an earlier copy of
   * this one" (an induction head) and small models learn to copy from the context sooner.
   * Default false (nanochat's architecture).
   */
  smearKeys?: boolean;
  /**
   * Learned attention sharpness (QKNorm, Henry et al. 2020): each head multiplies its normalised
   * queries by a learned gain, initialised so that attention logits are cos(q, k) * log2(T^2 - T)
   * instead of cos(q, k) * sqrt(head dim). Small heads (head dim 32: at most 5.7) cannot otherwise
   * put most of their weight on one position of a long context, which copying needs.
   * Default false (nanochat's architecture).
   */
  qkGain?: boolean;
  /**
   * Weight tying (GPT-2, nanoGPT): the output head is the transposed token embedding, so there
   * is no lm_head.weight, and the embedding starts at N(0, 1/sqrt(nEmbd)), so that the initial
   * logits are of unit scale (the input token's own is sqrt(nEmbd)). An attention head that moves
   * a token's embedding forward then reads out as that token: copying needs one circuit for all
   * tokens. Default false (nanochat unties them).
   */
  tieEmbeddings?: boolean;
}

/** The model stages a pipeline run produces. */
export type ModelStage = "base" | "sft" | "rl";

export interface LanguageModel<TTensor = unknown> {
  readonly config: Readonly<GptConfig>;
  /** Logits for int32 ids [B, T] -> [B, T, vocabSize]. */
  forward(ids: TTensor): TTensor;
  /** Mean cross-entropy of next-token prediction; with a mask, sum(mask*CE)/sum(mask). */
  loss(inputs: TTensor, targets: TTensor, mask?: TTensor): TTensor;
  /** Trainable weights by their checkpoint name (see @llm/model's README table). */
  parameters(): ReadonlyMap<string, TTensor>;
  /** Total number of trainable scalars. */
  parameterCount(): number;
  /** Frees every tensor the model owns. */
  dispose(): void;
}

/** Sampling options for generation. */
export interface GenerateOptions {
  /** Maximum number of new tokens. Default 64. */
  maxTokens?: number;
  /** 0 means greedy. Default 1. */
  temperature?: number;
  /** Keep only the k most likely tokens; 0 disables. Default 0. */
  topK?: number;
  /** Nucleus sampling threshold; 1 disables. Default 1. */
  topP?: number;
  /** Token ids that end generation (not emitted). */
  stop?: readonly number[];
  /** Seed for sampling; the same seed and prompt give the same tokens. */
  seed?: number;
}

/** Anything that continues a prompt token by token (a base model, the SFT engine's model). */
export interface TokenGenerator {
  /** Streams new token ids for a prompt. */
  generate(prompt: readonly number[], options?: GenerateOptions): AsyncIterable<number>;
}
