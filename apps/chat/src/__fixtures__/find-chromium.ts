/**
 * findChromium: the browser the e2e test drives. The system's Chromium when there is one (Debian's
 * /usr/bin/chromium, as .ci/system-packages installs), else the Chromium that the npm package
 * `@sparticuz/chromium` ships brotli-packed in its tarball, unpacked into a fresh temp folder (the
 * package unpacks into os.tmpdir(), so it is pointed at our own folder: no fixed /tmp path shared
 * with other runs). That binary links against NSS and NSPR (libnss3, libnspr4), which a bare
 * machine lacks; the package ships them for Amazon Linux (bin/al2023.tar.br) and unpacks them only
 * there, so they are unpacked here too and put on the browser's LD_LIBRARY_PATH (`env`), the same
 * on every machine. `prefer` forces one of the two, so the fallback path is tested on machines that
 * have a system Chromium too. Reference: facts.md ("Chromium from npm"), @sparticuz/chromium's
 * executablePath() and inflate(). Leaves out: Chrome channels and downloading browsers (no network in CI).
 */
import { accessSync, constants, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export type ChromiumSource = "system" | "npm";

export interface ChromiumChoice {
  executablePath: string;
  source: ChromiumSource;
  /** Environment to launch it with (the npm Chromium's library path), on top of process.env. */
  env: Record<string, string>;
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

/** Whether `path` is an executable file (a missing path, a folder or a non-executable is not). */
function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Unpacks @sparticuz/chromium's binary into a new temp folder and returns its path. */
async function npmChromium(): Promise<ChromiumChoice> {
  const dir = await mkdtemp(join(tmpdir(), "llm-chat-chromium-"));
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = dir; // os.tmpdir(), where the package unpacks, reads it on every call
  try {
    const { default: chromium, inflate } = await import("@sparticuz/chromium");
    const executablePath = await chromium.executablePath();
    const bin = join(dirname(createRequire(import.meta.url).resolve("@sparticuz/chromium")), "..", "bin");
    const libraries = join(await inflate(join(bin, "al2023.tar.br")), "lib");
    const inherited = process.env.LD_LIBRARY_PATH;
    const env = { LD_LIBRARY_PATH: inherited ? `${libraries}:${inherited}` : libraries };
    return { executablePath, source: "npm", env, cleanup: () => rm(dir, { recursive: true, force: true }) };
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
    const found = paths.find(isExecutable);
    if (found) return { executablePath: found, source: "system", env: {}, cleanup: async () => {} };
    if (prefer === "system") {
      throw new Error(`No system Chromium at ${paths.join(", ")}; install one or use prefer "npm".`);
    }
  }
  return npmChromium();
}
