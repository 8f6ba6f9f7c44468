import { isLlmError } from "@llm/core";
import { describe, expect, it } from "vitest";
import { decodeSafetensors, encodeSafetensors } from "./safetensors.js";

const sample = new Map([
  ["a", { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6.5]) }],
  ["ids", { shape: [4], data: Int32Array.from([7, -1, 0, 2 ** 30]) }],
]);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isLlmError(error) ? error.code : "not an LlmError";
  }
  return undefined;
}

describe("safetensors", () => {
  it("round-trips tensors and metadata with an 8-byte aligned header", () => {
    const bytes = encodeSafetensors(sample, { format: "pt" });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLength) % 8).toBe(0);
    const back = decodeSafetensors(bytes);
    expect(back.metadata).toEqual({ format: "pt" });
    expect(back.tensors.get("a")).toEqual(sample.get("a"));
    expect(back.tensors.get("ids")).toEqual(sample.get("ids"));
  });

  it("raises FILE_CORRUPT on truncated, garbled or inconsistent files", () => {
    const bytes = encodeSafetensors(sample);
    expect(codeOf(() => decodeSafetensors(bytes.slice(0, bytes.length - 4)))).toBe("FILE_CORRUPT");
    expect(codeOf(() => decodeSafetensors(bytes.slice(0, 5)))).toBe("FILE_CORRUPT");
    const garbled = bytes.slice();
    garbled[9] = 0x7b; // break the JSON
    garbled[10] = 0x7b;
    expect(codeOf(() => decodeSafetensors(garbled))).toBe("FILE_CORRUPT");
    const huge = bytes.slice();
    new DataView(huge.buffer).setBigUint64(0, 10n ** 12n, true);
    expect(codeOf(() => decodeSafetensors(huge))).toBe("FILE_CORRUPT");
    const extra = new Uint8Array(bytes.length + 4);
    extra.set(bytes);
    expect(codeOf(() => decodeSafetensors(extra))).toBe("FILE_CORRUPT");
  });
});
