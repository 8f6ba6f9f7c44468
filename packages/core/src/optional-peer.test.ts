import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { isLlmError } from "./errors.js";
import { importOptionalPeer, isModuleNotFound, resolveOptionalPeer } from "./optional-peer.js";

const absent = "@llm-test/not-installed-package";

describe("optional peers", () => {
  it("turns a missing package's import into MISSING_DEPENDENCY naming the package", async () => {
    const error = await importOptionalPeer(absent, "The comparison feature", () => import(absent)).catch(
      (e: unknown) => e,
    );
    expect(isLlmError(error, "MISSING_DEPENDENCY")).toBe(true);
    expect((error as Error).message).toContain("The comparison feature needs the package");
    expect((error as { input?: string }).input).toBe(absent);
    expect((error as { hint?: string }).hint).toBe(
      `Add it next to the @llm package that asked for it: npm install ${absent}`,
    );
  });

  it("turns a missing package's require.resolve into MISSING_DEPENDENCY", () => {
    const require = createRequire(import.meta.url);
    expect(() =>
      resolveOptionalPeer(absent, "Corpora", () => require.resolve(`${absent}/data.json`)),
    ).toThrow(expect.objectContaining({ code: "MISSING_DEPENDENCY", input: absent }));
  });

  it("passes an installed package through and rethrows other errors unchanged", async () => {
    const vitest = await importOptionalPeer("vitest", "Tests", () => import("vitest"));
    expect(typeof vitest.describe).toBe("function");
    const other = new Error("boom");
    await expect(importOptionalPeer("vitest", "Tests", () => Promise.reject(other))).rejects.toBe(other);
    // another package missing inside the peer is not reported as the peer missing
    const inner = Object.assign(new Error("Cannot find package 'left-pad'"), {
      code: "ERR_MODULE_NOT_FOUND",
    });
    expect(isModuleNotFound(inner, "vitest")).toBe(false);
    expect(isModuleNotFound(inner, "left-pad")).toBe(true);
  });
});
