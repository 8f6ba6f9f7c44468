/**
 * RequestQueue: admits at most `concurrency` jobs at a time and queues up to `maxQueued` more in
 * arrival order; beyond that it refuses, so an overloaded server answers 429 instead of piling up.
 * A waiting job whose signal aborts (its client left, or its time ran out) leaves the queue at
 * once. Reference: the semaphore-with-bounded-queue pattern of HTTP inference servers (e.g. vLLM's
 * admission control). Leaves out: priorities and per-client fairness.
 */

export class QueueFullError extends Error {
  constructor(readonly maxQueued: number) {
    super(`The request queue is full (${maxQueued} waiting).`);
  }
}

/** Thrown by run() when the signal aborted while the job was still waiting for a slot. */
export class QueueAbortedError extends Error {
  constructor() {
    super("The request left the queue before it got a slot.");
  }
}

export class RequestQueue {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    readonly concurrency: number,
    readonly maxQueued: number,
  ) {}

  get running(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Runs `job` when a slot is free; throws QueueFullError at once if the queue is full. */
  async run<T>(job: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) throw new QueueAbortedError();
    if (this.active >= this.concurrency) {
      if (this.waiting.length >= this.maxQueued) throw new QueueFullError(this.maxQueued);
      await new Promise<void>((resolve, reject) => {
        const admit = () => {
          signal?.removeEventListener("abort", leave);
          resolve();
        };
        const leave = () => {
          const at = this.waiting.indexOf(admit);
          if (at >= 0) this.waiting.splice(at, 1);
          reject(new QueueAbortedError());
        };
        this.waiting.push(admit);
        signal?.addEventListener("abort", leave, { once: true });
      });
    } else {
      this.active++;
    }
    try {
      return await job();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
