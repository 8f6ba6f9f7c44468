/**
 * Events that long-running work emits. Packages call the listeners they were given; apps decide
 * how to show them (progress bars, log lines, charts). Reference: the `onStep`/`onProgress`
 * callbacks of house-style.md. Leaves out: transport (no EventEmitter, no streams).
 */

/** Coarse progress of any long job (cleaning documents, training a tokenizer, running probes). */
export interface ProgressEvent {
  /** Which stage or job, e.g. "data", "tokenizer", "pretrain", "sft", "rl", "probes". */
  stage: string;
  /** Units done so far. */
  done: number;
  /** Units in all, when known. */
  total?: number;
  /** What a unit is: "documents", "merges", "steps", "bytes", ... */
  unit?: string;
  /** A short human-readable status. */
  message?: string;
}

/** One optimisation step of a trainer (pretraining, SFT or RL). */
export interface StepEvent {
  stage: string;
  /** 1-based index of the step just finished. */
  step: number;
  totalSteps: number;
  /** Training loss of this step (mean over the global batch). */
  loss: number;
  /** Learning rate used for this step. */
  lr: number;
  /** Global gradient norm before clipping. */
  gradNorm?: number;
  /** Tokens processed per second over this step. */
  tokensPerSecond?: number;
  /** Validation loss, on the steps where it was evaluated. */
  valLoss?: number;
  /** Validation bits per byte, on the steps where it was evaluated. */
  valBpb?: number;
  /** The tensor backend doing the work, e.g. "wasm", "cpu", "tensorflow". */
  backend?: string;
  /** Any other per-step metrics (RL: reward, kl, clipFraction, ...). */
  metrics?: Record<string, number>;
}

/** A free-form log line a package wants the app to show. */
export interface LogEvent {
  stage: string;
  level: "debug" | "info" | "warn";
  message: string;
}

/** The listeners a long-running function accepts. All optional. */
export interface Listeners {
  onProgress?: (event: ProgressEvent) => void;
  onStep?: (event: StepEvent) => void;
  onLog?: (event: LogEvent) => void;
}
