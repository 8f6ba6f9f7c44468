import { spawn } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { processAlive } from "./run-lock.js";

const tsx = createRequire(import.meta.url).resolve("tsx/cli");

describe("watchParent", () => {
  it("notices when the launching process is killed with SIGKILL (the child then exits itself)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "llm-watch-"));
    const marker = join(dir, "orphaned");
    const childScript = join(dir, "child.ts");
    const { writeFile } = await import("node:fs/promises");
    await writeFile(
      childScript,
      `import { writeFileSync } from "node:fs";
import { watchParent } from ${JSON.stringify(new URL("./watch-parent.ts", import.meta.url).pathname)};
watchParent(() => { writeFileSync(${JSON.stringify(marker)}, "yes"); process.exit(3); }, { intervalMs: 50 });
process.stdout.write("ready\\n");
setTimeout(() => {}, 60000);
`,
    );
    // The launcher (like npx/pnpm) starts the child and waits; we kill the launcher with -9.
    const launcher = spawn(
      process.execPath,
      [
        "-e",
        `const c = require("node:child_process").spawn(process.execPath, [${JSON.stringify(tsx)}, ${JSON.stringify(childScript)}], { stdio: ["ignore", "pipe", "inherit"] });
         c.stdout.on("data", (d) => { if (String(d).includes("ready")) console.log("child " + c.pid); });
         setTimeout(() => {}, 60000);`,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    const childPid = await new Promise<number>((resolve) => {
      launcher.stdout.on("data", (d) => {
        const m = /child (\d+)/.exec(String(d));
        if (m) resolve(Number(m[1]));
      });
    });
    expect(processAlive(childPid)).toBe(true);
    launcher.kill("SIGKILL");
    const deadline = Date.now() + 10_000;
    while (processAlive(childPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(processAlive(childPid)).toBe(false);
    expect(await readFile(marker, "utf8")).toBe("yes");
  }, 30_000);
});
