import { isLlmError } from "@llm/core";
import { describe, expect, it } from "vitest";
import { countParameters, resolveGptConfig } from "./model-config.js";
import { parameterShapes } from "./parameter-shapes.js";

describe("resolveGptConfig", () => {
  it("derives width, layers and heads from depth", () => {
    const c = resolveGptConfig({ depth: 6, vocabSize: 1000 });
    expect(c).toEqual({
      vocabSize: 1000,
      seqLen: 256,
      nLayer: 6,
      nEmbd: 384,
      nHead: 6,
      ropeBase: 10000,
      softcap: 15,
      smearKeys: false,
      qkGain: false,
      tieEmbeddings: false,
    });
  });

  it("lets explicit fields override the dial", () => {
    const c = resolveGptConfig({ depth: 4, nEmbd: 32, nHead: 2, nLayer: 3, seqLen: 64 });
    expect([c.nEmbd, c.nHead, c.nLayer, c.seqLen]).toEqual([32, 2, 3, 64]);
  });

  it("rejects heads that do not divide the width into even sizes", () => {
    let error: unknown;
    try {
      resolveGptConfig({ nEmbd: 30, nHead: 4 });
    } catch (e) {
      error = e;
    }
    expect(isLlmError(error, "INVALID_CONFIG")).toBe(true);
    expect(() => resolveGptConfig({ depth: 0 })).toThrow(/depth/);
  });

  it("counts 2VC + 12LC^2 parameters, the sum of the weight shapes", () => {
    const config = resolveGptConfig({ depth: 2, vocabSize: 300 });
    const sum = parameterShapes(config).reduce((acc, [, [a, b]]) => acc + a * b, 0);
    expect(countParameters(config)).toBe(sum);
    expect(sum).toBe(2 * 300 * 128 + 12 * 2 * 128 * 128);
  });
});
