/**
 * findChromium: the browser the e2e test drives. The system's Chromium when there is one (Debian's
 * /usr/bin/chromium, as .ci/system-packages installs), else the Chromium that the npm package
 * `@sparticuz/chromium` ships brotli-packed in its tarball, unpacked into a fresh temp folder (the
 * package unpacks into os.tmpdir(), so it is pointed at our own folder: no fixed /tmp path shared
 * with other runs). `prefer` forces one of the two, so the fallback path is tested on machines that
 * have a system Chromium too. Reference: facts.md ("Chromium from npm"), @sparticuz/chromium's
 * executablePath(). Leaves out: Chrome channels and downloading browsers (no network in CI).
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type ChromiumSource = "system" | "npm";

export interface ChromiumChoice {
  executablePath: string;
  source: ChromiumSource;
  /** Removes what was unpacked for this choice (nothing for the system Chromium). */
  cleanup(): Promise<void>;
}

export interface FindChromiumOptions {
  /** "auto" (default): system if present, else npm. */
  prefer?: "auto" | ChromiumSource;
  /** Where a system Chromium may be, first found wins. */
  systemPaths?: readonly string[];
}

export const SYSTEM_CHROMIUM_PATHS = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

/** Unpacks @sparticuz/chromium's binary into a new temp folder and returns its path. */
async function npmChromium(): Promise<ChromiumChoice> {
  const dir = await mkdtemp(join(tmpdir(), "llm-chat-chromium-"));
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = dir; // os.tmpdir(), where the package unpacks, reads it on every call
  try {
    const { default: chromium } = await import("@sparticuz/chromium");
    const executablePath = await chromium.executablePath();
    return { executablePath, source: "npm", cleanup: () => rm(dir, { recursive: true, force: true }) };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
}

export async function findChromium(options: FindChromiumOptions = {}): Promise<ChromiumChoice> {
  const prefer = options.prefer ?? "auto";
  const paths = options.systemPaths ?? SYSTEM_CHROMIUM_PATHS;
  if (prefer !== "npm") {
    const found = paths.find((path) => existsSync(path));
    if (found) return { executablePath: found, source: "system", cleanup: async () => {} };
    if (prefer === "system") {
      throw new Error(`No system Chromium at ${paths.join(", ")}; install one or use prefer "npm".`);
    }
  }
  return npmChromium();
}
