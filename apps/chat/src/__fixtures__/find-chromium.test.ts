import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { findChromium } from "./find-chromium.js";

describe("findChromium", () => {
  it("takes the first system Chromium there is", async () => {
    // Missing, not executable, a folder: skipped.
    const dir = await mkdtemp(join(tmpdir(), "llm-chat-find-"));
    await writeFile(join(dir, "chromium"), "not a browser", { mode: 0o644 });
    const skipped = ["/nonexistent/chromium", join(dir, "chromium"), dir];
    const choice = await findChromium({ systemPaths: [...skipped, process.execPath] });
    expect(choice).toMatchObject({ source: "system", executablePath: process.execPath, env: {} });
    await rm(dir, { recursive: true });
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
    // NSS and NSPR for machines without them, on the browser's library path.
    const libraries = choice.env.LD_LIBRARY_PATH?.split(":")[0] as string;
    expect(libraries.startsWith(dirname(choice.executablePath))).toBe(true);
    for (const lib of ["libnss3.so", "libnspr4.so"]) expect(existsSync(join(libraries, lib)), lib).toBe(true);
    expect(tmpdir()).toBe(before);
    await choice.cleanup();
    expect(existsSync(choice.executablePath)).toBe(false);
  }, 60_000);
});
