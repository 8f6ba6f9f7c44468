import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { findChromium } from "./find-chromium.js";

describe("findChromium", () => {
  it("takes the first system Chromium there is", async () => {
    const choice = await findChromium({ systemPaths: ["/nonexistent/chromium", process.execPath] });
    expect(choice).toMatchObject({ source: "system", executablePath: process.execPath });
    await expect(findChromium({ prefer: "system", systemPaths: ["/nonexistent/chromium"] })).rejects.toThrow(
      /No system Chromium/,
    );
  });

  it("falls back to the npm Chromium, unpacked in its own temp folder, and cleans it up", async () => {
    const before = tmpdir();
    const choice = await findChromium({ systemPaths: ["/nonexistent/chromium"] });
    expect(choice.source).toBe("npm");
    expect(choice.executablePath.startsWith(before)).toBe(true);
    expect(choice.executablePath).toMatch(/llm-chat-chromium-[^/]+\/chromium$/);
    expect(existsSync(choice.executablePath)).toBe(true);
    expect(tmpdir()).toBe(before);
    await choice.cleanup();
    expect(existsSync(choice.executablePath)).toBe(false);
  }, 60_000);
});
