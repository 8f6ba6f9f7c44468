import { describe, expect, it } from "vitest";
import { withAdversarialFlag } from "./probes-stage.js";

describe("withAdversarialFlag", () => {
  it("flags 9.11-vs-9.9 pairs only", () => {
    const task = (a: string, b: string) => ({
      id: a,
      kind: "decimal-compare",
      prompt: "",
      answer: "",
      metadata: { a, b },
    });
    const flags = withAdversarialFlag([
      task("9.11", "9.9"),
      task("9.9", "9.11"),
      task("9.95", "9.9"),
      task("8.82", "17.7"),
      task("3.4", "3.7"),
    ]).map((t) => t.metadata?.adversarial);
    expect(flags).toEqual([true, true, false, false, false]);
  });
});
