/**
 * AdamW: Adam with decoupled weight decay (w <- w - lr*wd*w, then the Adam step), over named
 * tf.Variables, with a configurable rule for which parameters decay. Its moments and step count
 * export to plain tensors for optimizer.safetensors and load back for an exact resume.
 * Reference: Loshchilov & Hutter, "Decoupled Weight Decay Regularization"; torch.optim.AdamW.
 * The update of each parameter is one fused kernel on wasm (ops/adamw-update.ts). Leaves out:
 * amsgrad, per-group learning rates.
 */
import { LlmError } from "@llm/core";
import * as tf from "@tensorflow/tfjs-core";
import { adamwUpdate } from "./ops/adamw-update.js";

/** Which parameters get weight decay: a preset or a predicate on the checkpoint name and shape. */
export type DecayRule = "matrices" | "all" | "none" | ((name: string, shape: readonly number[]) => boolean);

export interface AdamWConfig {
  /** First-moment decay. Default 0.9. */
  beta1?: number;
  /** Second-moment decay. Default 0.95 (nanoGPT/nanochat). */
  beta2?: number;
  /** Added to sqrt(v). Default 1e-8. */
  eps?: number;
  /** Decoupled weight decay coefficient. Default 0.1. */
  weightDecay?: number;
  /** Which parameters decay. Default "matrices": the transformer blocks' matrices, not the embedding or head. */
  decay?: DecayRule;
}

/** True when the parameter decays under `rule`. */
export function decays(rule: DecayRule, name: string, shape: readonly number[]): boolean {
  if (typeof rule === "function") return rule(name, shape);
  if (rule === "all") return true;
  if (rule === "none") return false;
  return (
    shape.length >= 2 &&
    name.startsWith("transformer.h.") &&
    !name.endsWith(".smear") &&
    !name.endsWith(".qk_gain")
  );
}

export class AdamW {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  /** Number of updates applied so far. */
  step = 0;
  private readonly params: ReadonlyMap<string, tf.Variable>;
  private readonly decaySet = new Set<string>();
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();

  constructor(params: ReadonlyMap<string, tf.Variable>, config: AdamWConfig = {}) {
    this.beta1 = config.beta1 ?? 0.9;
    this.beta2 = config.beta2 ?? 0.95;
    this.eps = config.eps ?? 1e-8;
    this.weightDecay = config.weightDecay ?? 0.1;
    this.params = params;
    for (const [name, p] of params) {
      if (decays(config.decay ?? "matrices", name, p.shape)) this.decaySet.add(name);
      this.m.set(
        name,
        tf.tidy(() => tf.variable(tf.zerosLike(p), false)),
      );
      this.v.set(
        name,
        tf.tidy(() => tf.variable(tf.zerosLike(p), false)),
      );
    }
  }

  /** Names of the parameters that decay. */
  decayed(): string[] {
    return [...this.decaySet];
  }

  /** One update with learning rate `lr`; `grads` maps parameter names to gradients (not disposed here). */
  apply(grads: ReadonlyMap<string, tf.Tensor>, lr: number): void {
    this.step += 1;
    const t = this.step;
    const bc1 = 1 - this.beta1 ** t;
    const bc2 = 1 - this.beta2 ** t;
    tf.tidy(() => {
      for (const [name, p] of this.params) {
        const g = grads.get(name);
        if (g === undefined) continue;
        const m = this.m.get(name) as tf.Variable;
        const v = this.v.get(name) as tf.Variable;
        const decay = this.decaySet.has(name) ? this.weightDecay : 0;
        // one fused kernel per parameter on wasm (ops/adamw-update.ts), plain tf ops elsewhere
        const [pNew, mNew, vNew] = adamwUpdate(p, g, m, v, {
          lr,
          beta1: this.beta1,
          beta2: this.beta2,
          eps: this.eps,
          weightDecay: decay,
          bc1,
          bc2,
        });
        m.assign(mNew);
        v.assign(vNew);
        p.assign(pNew);
      }
    });
  }

  /** Moments as named tensors ("<param>.exp_avg", "<param>.exp_avg_sq") plus the step count. */
  async getState(): Promise<{ step: number; tensors: Map<string, { shape: number[]; data: Float32Array }> }> {
    const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
    for (const name of this.params.keys()) {
      const m = this.m.get(name) as tf.Variable;
      const v = this.v.get(name) as tf.Variable;
      tensors.set(`${name}.exp_avg`, { shape: [...m.shape], data: (await m.data()) as Float32Array });
      tensors.set(`${name}.exp_avg_sq`, { shape: [...v.shape], data: (await v.data()) as Float32Array });
    }
    return { step: this.step, tensors };
  }

  /** Restores what getState returned; throws FILE_MISMATCH when a moment is missing or misshapen. */
  setState(state: {
    step: number;
    tensors: ReadonlyMap<string, { shape: readonly number[]; data: Float32Array | Int32Array }>;
  }): void {
    for (const [name, p] of this.params) {
      for (const [suffix, target] of [
        ["exp_avg", this.m],
        ["exp_avg_sq", this.v],
      ] as const) {
        const key = `${name}.${suffix}`;
        const value = state.tensors.get(key);
        if (value === undefined || value.shape.join(",") !== p.shape.join(",")) {
          throw new LlmError("FILE_MISMATCH", `optimizer state ${key} is missing or has the wrong shape`, {
            input: key,
            hint: "The optimizer state belongs to a different model; resume with the matching checkpoint.",
          });
        }
        const variable = target.get(name) as tf.Variable;
        const data = value.data instanceof Float32Array ? value.data : Float32Array.from(value.data);
        tf.tidy(() => variable.assign(tf.tensor(data, [...value.shape])));
      }
    }
    this.step = state.step;
  }

  dispose(): void {
    for (const t of this.m.values()) t.dispose();
    for (const t of this.v.values()) t.dispose();
  }
}
