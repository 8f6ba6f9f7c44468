/**
 * Trainer: the training loop of a GPT: micro-batches from a BatchSource, gradient accumulation,
 * global-norm clipping, AdamW with warmup and cosine or linear warmdown, validation loss and bits
 * per byte at intervals, periodic atomic checkpoints, and a StepEvent per optimizer step. The
 * pieces (computeGradients, clipGlobalNorm, AdamW.apply, lrSchedule) are exported on their own for
 * RL and the data-parallel driver. Deterministic for a given seed, model and data order.
 * Reference: nanoGPT's train.py, nanochat's base_train.py. Leaves out: Muon, mixed precision.
 */
import { type Batch, type BatchSource, type Listeners, Rng, type StepEvent } from "@llm/core";
import { AdamW, type AdamWConfig } from "./adamw.js";
import { type LoadedCheckpoint, saveCheckpoint, type TrainState } from "./checkpoint.js";
import { clipGlobalNormAsync, disposeGradients, type Gradients } from "./clip-global-norm.js";
import {
  accumulateGradients,
  computeGradientsAsync,
  type GradientResult,
  scaleGradients,
} from "./compute-gradients.js";
import { evaluate } from "./evaluate.js";
import type { GPT } from "./gpt.js";
import { currentBackend } from "./init-backend.js";
import { type LrScheduleConfig, lrSchedule } from "./lr-schedule.js";

export interface TrainConfig extends AdamWConfig, Omit<LrScheduleConfig, "lr"> {
  /** Peak learning rate. Default 1e-3. */
  lr?: number;
  /** Clip the global gradient norm to this; 0 disables. Default 1. */
  gradClip?: number;
  /** Micro-batches per optimizer step (their gradients are averaged). Default 1. */
  gradAccumSteps?: number;
  /** Validation data; evaluated every evalEvery steps and at the end. Default none. */
  valSource?: BatchSource;
  /** Steps between evaluations; 0 evaluates only at the end. Default 0. */
  evalEvery?: number;
  /** Batches per evaluation. Default 4. */
  evalBatches?: number;
  /** Token byte lengths for validation bits per byte. Default none (no bpb). */
  tokenBytes?: Int32Array;
  /** Folder for checkpoints (replaced atomically each time). Default none. */
  checkpointDir?: string;
  /** Steps between checkpoints; 0 saves only at the end (when checkpointDir is set). Default 0. */
  checkpointEvery?: number;
  /** Stage name in events. Default "pretrain". */
  stage?: string;
  /** Seed of the trainer's RNG (saved in checkpoints). Default 0. */
  seed?: number;
  /**
   * Computes one micro-batch's loss and gradients (keyed like model.parameters()). Default:
   * computeGradients(model, batch) on this thread; pass `(b) => dataParallel.computeGradients(b)`
   * to spread each batch over worker threads.
   */
  gradients?: (batch: Batch) => GradientResult | Promise<GradientResult>;
}

export interface TrainResult {
  /** Steps completed (including steps done before a resume). */
  steps: number;
  /** Training loss of every step run by this call. */
  losses: number[];
  /** Last validation result, when there is validation data. */
  valLoss?: number;
  valBpb?: number;
}

export interface RunOptions {
  /** Stop after this step (e.g. to simulate a killed run). Default totalSteps. */
  untilStep?: number;
  /** Stops cleanly after the current step when aborted. */
  signal?: AbortSignal;
}

export class Trainer {
  readonly model: GPT;
  readonly config: TrainConfig;
  readonly optimizer: AdamW;
  readonly rng: Rng;
  /** Optimizer steps completed. */
  step = 0;
  private readonly listeners: Listeners;

  constructor(model: GPT, config: TrainConfig, listeners: Listeners = {}) {
    this.model = model;
    this.config = config;
    this.listeners = listeners;
    this.optimizer = new AdamW(model.parameters(), config);
    this.rng = new Rng(config.seed ?? 0);
  }

  /** Learning rate of the 0-based step. */
  lr(step: number): number {
    return lrSchedule(step, { ...this.config, lr: this.config.lr ?? 1e-3 });
  }

  /** One optimizer step over gradAccumSteps micro-batches; returns its event (also emitted). */
  async trainStep(source: BatchSource): Promise<StepEvent> {
    const started = performance.now();
    const accum = this.config.gradAccumSteps ?? 1;
    let grads: Gradients = new Map();
    let lossSum = 0;
    let tokens = 0;
    try {
      for (let micro = 0; micro < accum; micro++) {
        const batch = await source.next();
        const result = await (this.config.gradients?.(batch) ?? computeGradientsAsync(this.model, batch));
        lossSum += result.loss;
        tokens += batch.batchSize * batch.seqLen;
        grads = accumulateGradients(grads, result.grads);
      }
      scaleGradients(grads, 1 / accum);
      const { norm } = await clipGlobalNormAsync(grads, this.config.gradClip ?? 1);
      const lr = this.lr(this.step);
      this.optimizer.apply(grads, lr);
      this.step += 1;
      const seconds = (performance.now() - started) / 1000;
      const event: StepEvent = {
        stage: this.config.stage ?? "pretrain",
        step: this.step,
        totalSteps: this.config.totalSteps,
        loss: lossSum / accum,
        lr,
        gradNorm: norm,
        tokensPerSecond: tokens / Math.max(seconds, 1e-9),
        backend: currentBackend(),
      };
      return event;
    } finally {
      disposeGradients(grads);
    }
  }

  /** Validation loss and bpb on config.valSource (undefined without one). */
  async evaluate(): Promise<{ loss: number; bpb?: number } | undefined> {
    if (this.config.valSource === undefined) return undefined;
    const options = { batches: this.config.evalBatches ?? 4 };
    return evaluate(
      this.model,
      this.config.valSource,
      this.config.tokenBytes === undefined ? options : { ...options, tokenBytes: this.config.tokenBytes },
    );
  }

  /** Trains from the current step to totalSteps (or options.untilStep), emitting events. */
  async run(source: BatchSource, options: RunOptions = {}): Promise<TrainResult> {
    const until = Math.min(options.untilStep ?? this.config.totalSteps, this.config.totalSteps);
    const losses: number[] = [];
    const result: TrainResult = { steps: this.step, losses };
    const evalEvery = this.config.evalEvery ?? 0;
    const ckptEvery = this.config.checkpointEvery ?? 0;
    this.listeners.onLog?.({
      stage: this.config.stage ?? "pretrain",
      level: "info",
      message: `training ${this.model.parameterCount()} parameters on ${currentBackend()} from step ${this.step} to ${until}`,
    });
    while (this.step < until && !options.signal?.aborted) {
      const event = await this.trainStep(source);
      losses.push(event.loss);
      const last = this.step === this.config.totalSteps;
      if ((evalEvery > 0 && this.step % evalEvery === 0) || last) {
        const val = await this.evaluate();
        if (val !== undefined) {
          event.valLoss = val.loss;
          result.valLoss = val.loss;
          if (val.bpb !== undefined) {
            event.valBpb = val.bpb;
            result.valBpb = val.bpb;
          }
        }
      }
      this.listeners.onStep?.(event);
      this.listeners.onProgress?.({
        stage: event.stage,
        done: this.step,
        total: this.config.totalSteps,
        unit: "steps",
      });
      if (
        this.config.checkpointDir !== undefined &&
        ((ckptEvery > 0 && this.step % ckptEvery === 0) || last)
      ) {
        await this.save(this.config.checkpointDir, source);
      }
    }
    result.steps = this.step;
    return result;
  }

  /** The state.json contents for the current step. */
  state(source?: BatchSource): TrainState {
    const state: TrainState = {
      step: this.step,
      totalSteps: this.config.totalSteps,
      stage: this.config.stage ?? "pretrain",
      rng: this.rng.getState(),
    };
    if (source !== undefined) state.dataPosition = source.position();
    return state;
  }

  /** Saves model, optimizer and state to `dir` atomically. */
  async save(dir: string, source?: BatchSource): Promise<void> {
    await saveCheckpoint(dir, { model: this.model, optimizer: this.optimizer, state: this.state(source) });
  }

  /**
   * Continues from a loaded checkpoint: optimizer moments, step and RNG; the data source is moved
   * to the saved position when given. The checkpoint's model must be this trainer's model (or
   * have had its weights copied into it).
   */
  restore(checkpoint: LoadedCheckpoint, source?: BatchSource): void {
    if (checkpoint.optimizerState !== undefined) this.optimizer.setState(checkpoint.optimizerState);
    this.optimizer.step = checkpoint.optimizerState?.step ?? checkpoint.state.step;
    this.step = checkpoint.state.step;
    if (checkpoint.state.rng !== undefined) this.rng.setState(checkpoint.state.rng);
    if (source !== undefined && checkpoint.state.dataPosition !== undefined)
      source.restore(checkpoint.state.dataPosition);
  }

  /** Frees the optimizer's moments (the model stays). */
  dispose(): void {
    this.optimizer.dispose();
  }
}

/** Trains `model` on `source` for config.totalSteps steps; see Trainer for the pieces. */
export async function train(
  model: GPT,
  source: BatchSource,
  config: TrainConfig,
  listeners: Listeners = {},
  options: RunOptions & { resumeFrom?: LoadedCheckpoint } = {},
): Promise<TrainResult> {
  const trainer = new Trainer(model, config, listeners);
  try {
    if (options.resumeFrom !== undefined) trainer.restore(options.resumeFrom, source);
    return await trainer.run(source, options);
  } finally {
    trainer.dispose();
  }
}
