/**
 * lrSchedule: the learning rate of one step: linear warmup, then a cosine decay to a floor, a
 * linear warmdown over the last fraction of training (nanochat), or a constant rate.
 * Reference: nanoGPT's get_lr (cosine), nanochat's get_lr_multiplier (warmdown).
 * Leaves out: restarts and schedule-free optimisers.
 */

export interface LrScheduleConfig {
  /** Peak learning rate. */
  lr: number;
  /** Total optimizer steps of the run. */
  totalSteps: number;
  /** Steps of linear warmup from ~0 to lr. Default 0. */
  warmupSteps?: number;
  /** Shape after warmup. Default "cosine". */
  schedule?: "cosine" | "linear" | "constant";
  /** For "linear": fraction of totalSteps at the end spent decaying. Default 0.2. */
  warmdownFraction?: number;
  /** Final learning rate as a fraction of lr. Default 0.1 for cosine, 0 for linear. */
  minLrFraction?: number;
}

/** Learning rate for the 0-based `step` (0 .. totalSteps-1). */
export function lrSchedule(step: number, config: LrScheduleConfig): number {
  const { lr, totalSteps } = config;
  const warmup = config.warmupSteps ?? 0;
  const schedule = config.schedule ?? "cosine";
  if (step < warmup) return (lr * (step + 1)) / warmup;
  if (schedule === "constant") return lr;
  if (schedule === "linear") {
    const minFrac = config.minLrFraction ?? 0;
    const warmdown = Math.round((config.warmdownFraction ?? 0.2) * totalSteps);
    if (warmdown <= 0 || step < totalSteps - warmdown) return lr;
    const progress = Math.max(0, (totalSteps - step) / warmdown); // 1 -> 0
    return lr * (progress + (1 - progress) * minFrac);
  }
  const minFrac = config.minLrFraction ?? 0.1;
  const decaySteps = Math.max(1, totalSteps - warmup);
  const progress = Math.min(1, (step - warmup) / decaySteps);
  return lr * (minFrac + 0.5 * (1 - minFrac) * (1 + Math.cos(Math.PI * progress)));
}
