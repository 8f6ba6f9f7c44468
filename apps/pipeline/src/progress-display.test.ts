import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { etaSeconds, formatDuration, ProgressDisplay } from "./progress-display.js";

function sink(): { stream: Writable; text: () => string } {
  let out = "";
  const stream = new Writable({
    write(chunk, _enc, cb) {
      out += String(chunk);
      cb();
    },
  });
  return { stream, text: () => out };
}

describe("ProgressDisplay", () => {
  it("prints throttled plain lines with loss, tokens/s and ETA", () => {
    const { stream, text } = sink();
    let now = 0;
    const display = new ProgressDisplay({ stream, live: false, now: () => now, plainIntervalMs: 1000 });
    for (let step = 1; step <= 10; step++) {
      now = step * 500;
      display.onStep({
        stage: "pretrain",
        step,
        totalSteps: 10,
        loss: 5 - step * 0.1,
        lr: 1e-3,
        tokensPerSecond: 1234,
      });
    }
    const lines = text().trim().split("\n");
    expect(lines[0]).toContain("[pretrain] step 1/10 | loss 4.900");
    expect(lines.length).toBeLessThan(10);
    expect(lines.at(-1)).toContain("step 10/10");
    expect(text()).toContain("1,234 tok/s");
    expect(text()).toMatch(/ETA \d+s/);
    expect(text()).not.toContain("\r");
  });

  it("redraws one line in place on a terminal", () => {
    const { stream, text } = sink();
    let now = 0;
    const display = new ProgressDisplay({ stream, live: true, now: () => now });
    display.onStep({ stage: "sft", step: 1, totalSteps: 4, loss: 2, lr: 1 });
    now = 1000;
    display.onStep({ stage: "sft", step: 2, totalSteps: 4, loss: 1.5, lr: 1 });
    display.print("done");
    expect(text()).toContain("\r\x1b[2K[sft] step 2/4");
    expect(text()).toContain("ETA 2s");
    expect(text().endsWith("done\n")).toBe(true);
  });

  it("formats durations and estimates time left from the observed rate", () => {
    expect(formatDuration(9.4)).toBe("9s");
    expect(formatDuration(75)).toBe("1m15s");
    expect(formatDuration(3725)).toBe("1h02m");
    expect(etaSeconds({ startStep: 10, startTime: 0 }, 20, 110, 5000)).toBe(45);
    expect(etaSeconds({ startStep: 10, startTime: 0 }, 10, 110, 5000)).toBeUndefined();
  });
});
