import { Rng } from "@llm/core";
import { describe, expect, it } from "vitest";
import { decodeBase64List } from "./base64.js";

describe("decodeBase64List", () => {
  it("decodes like Buffer for random byte strings of every padding length", () => {
    const rng = new Rng(3);
    const originals = Array.from({ length: 500 }, () =>
      Uint8Array.from({ length: 1 + rng.int(20) }, () => rng.int(256)),
    );
    const decoded = decodeBase64List(originals.map((bytes) => Buffer.from(bytes).toString("base64")));
    for (const [i, bytes] of originals.entries())
      expect(Array.from(decoded[i] as Uint8Array)).toEqual(Array.from(bytes));
  });

  it("marks invalid entries", () => {
    expect(decodeBase64List(["", "YQ=", "Y===", "YQ==YQ==", "Y!==", "YR==", "YQ=="])).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      Uint8Array.of(97),
    ]);
  });
});
