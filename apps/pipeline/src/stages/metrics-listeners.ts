/**
 * Listeners for a training stage: forwards every event to the app's display and appends each
 * StepEvent to `metrics/<model>.jsonl` (in order, through one promise chain) for the report's
 * curves. `flush()` waits for the pending appends.
 */
import type { Listeners, StepEvent } from "@llm/core";
import type { RunDir } from "../run-dir.js";

export interface MetricsListeners extends Listeners {
  flush(): Promise<void>;
}

export function metricsListeners(
  run: RunDir,
  modelDir: string,
  display: Listeners,
  stage?: string,
): MetricsListeners {
  let chain: Promise<void> = Promise.resolve();
  let failure: unknown;
  return {
    onProgress: (event) => display.onProgress?.(event),
    onLog: (event) => display.onLog?.(event),
    onStep: (event: StepEvent) => {
      const named = stage ? { ...event, stage } : event;
      display.onStep?.(named);
      chain = chain
        .then(() => run.appendMetric(modelDir, named))
        .catch((error: unknown) => {
          failure = error;
        });
    },
    flush: async () => {
      await chain;
      if (failure) throw failure;
    },
  };
}
