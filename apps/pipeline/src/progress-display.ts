/**
 * Progress display: one live status line on a terminal (stage, step/total, loss, tokens/s, ETA),
 * redrawn in place at most ~8 times a second; plain log lines elsewhere (CI, pipes, --plain),
 * throttled to one every few seconds per stage plus the first and last step. It consumes the
 * StepEvent / ProgressEvent / LogEvent listeners every @llm package emits.
 * Reference: the progress output of nanoGPT's train.py and of cargo. Leaves out: multi-line
 * dashboards and colour themes.
 */
import type { Listeners, LogEvent, ProgressEvent, StepEvent } from "@llm/core";

export interface ProgressDisplayOptions {
  /** Where to write (default process.stderr). */
  stream?: NodeJS.WritableStream;
  /** Redraw one line in place; false prints plain lines. */
  live: boolean;
  /** Clock in milliseconds (tests pass a fake one). */
  now?: () => number;
  /** Minimum milliseconds between plain lines of the same stage. Default 5000. */
  plainIntervalMs?: number;
}

interface Rate {
  startStep: number;
  startTime: number;
}

export class ProgressDisplay implements Required<Listeners> {
  private readonly stream: NodeJS.WritableStream;
  private readonly now: () => number;
  private readonly plainIntervalMs: number;
  private lastDraw = 0;
  private lastPlain = new Map<string, number>();
  private rates = new Map<string, Rate>();
  private lineShown = false;

  constructor(private readonly options: ProgressDisplayOptions) {
    this.stream = options.stream ?? process.stderr;
    this.now = options.now ?? Date.now;
    this.plainIntervalMs = options.plainIntervalMs ?? 5000;
  }

  /** Whether a live display suits this process: a TTY and not CI. */
  static detectLive(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): boolean {
    return Boolean(stream.isTTY) && !env.CI && env.TERM !== "dumb";
  }

  readonly onStep = (event: StepEvent): void => {
    const key = event.stage;
    const now = this.now();
    let rate = this.rates.get(key);
    if (!rate || event.step <= rate.startStep) {
      rate = { startStep: event.step, startTime: now };
      this.rates.set(key, rate);
    }
    const parts = [
      `[${event.stage}] step ${event.step}/${event.totalSteps}`,
      `loss ${event.loss.toFixed(3)}`,
    ];
    if (event.valLoss !== undefined) parts.push(`val ${event.valLoss.toFixed(3)}`);
    if (event.valBpb !== undefined) parts.push(`bpb ${event.valBpb.toFixed(3)}`);
    for (const [name, value] of Object.entries(event.metrics ?? {}).slice(0, 3)) {
      parts.push(`${name} ${formatNumber(value)}`);
    }
    if (event.tokensPerSecond !== undefined)
      parts.push(`${Math.round(event.tokensPerSecond).toLocaleString("en-US")} tok/s`);
    const eta = etaSeconds(rate, event.step, event.totalSteps, now);
    if (eta !== undefined) parts.push(`ETA ${formatDuration(eta)}`);
    const line = parts.join(" | ");
    const important = event.step === 1 || event.step === event.totalSteps || event.valLoss !== undefined;
    this.emit(key, line, important);
  };

  readonly onProgress = (event: ProgressEvent): void => {
    const total = event.total !== undefined ? `/${event.total}` : "";
    const unit = event.unit ? ` ${event.unit}` : "";
    const message = event.message ? ` ${event.message}` : "";
    const important = event.total !== undefined && event.done >= event.total;
    this.emit(event.stage, `[${event.stage}] ${event.done}${total}${unit}${message}`, important);
  };

  readonly onLog = (event: LogEvent): void => {
    if (event.level === "debug") return;
    this.print(`[${event.stage}]${event.level === "warn" ? " warning:" : ""} ${event.message}`);
  };

  /** A permanent line (stage started/finished, summaries). */
  print(line: string): void {
    this.clearLine();
    this.stream.write(`${line}\n`);
  }

  /** Ends the live line so that later output starts on a fresh line. */
  close(): void {
    this.clearLine();
  }

  private emit(key: string, line: string, important: boolean): void {
    const now = this.now();
    if (this.options.live) {
      if (!important && now - this.lastDraw < 120) return;
      this.lastDraw = now;
      const width = (this.stream as NodeJS.WriteStream).columns ?? 120;
      this.stream.write(`\r\x1b[2K${line.slice(0, Math.max(20, width - 1))}`);
      this.lineShown = true;
      return;
    }
    const last = this.lastPlain.get(key);
    if (!important && last !== undefined && now - last < this.plainIntervalMs) return;
    this.lastPlain.set(key, now);
    this.stream.write(`${line}\n`);
  }

  private clearLine(): void {
    if (this.options.live && this.lineShown) {
      this.stream.write("\r\x1b[2K");
      this.lineShown = false;
    }
  }
}

/** Seconds left at the average rate since the first step seen in this process; undefined until known. */
export function etaSeconds(rate: Rate, step: number, total: number, now: number): number | undefined {
  const steps = step - rate.startStep;
  const elapsed = (now - rate.startTime) / 1000;
  if (steps <= 0 || elapsed <= 0) return undefined;
  return ((total - step) * elapsed) / steps;
}

/** 75 -> "1m15s", 3725 -> "1h02m", 9.4 -> "9s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

function formatNumber(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(3);
}
