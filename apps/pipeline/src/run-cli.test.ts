import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { type CliIo, runCli } from "./run-cli.js";

/** An io that records what is written and fails if the CLI tries to end the process. */
function io(): CliIo & { written: { stdout: string; stderr: string } } {
  const written = { stdout: "", stderr: "" };
  const sink = (key: "stdout" | "stderr") =>
    new Writable({
      write(chunk, _encoding, done) {
        written[key] += String(chunk);
        done();
      },
    });
  return {
    written,
    stdout: sink("stdout"),
    stderr: sink("stderr") as unknown as NodeJS.WriteStream,
    env: {},
    cwd: import.meta.dirname,
    onInterrupt: () => {},
    onOrphaned: () => {},
    exit: (code) => {
      throw new Error(`exit ${code}`);
    },
  };
}

describe("pnpm pipeline (runCli)", () => {
  it("prints the help", async () => {
    const cli = io();
    expect(await runCli(["--help"], cli)).toBe(0);
    expect(cli.written.stdout).toContain("--preset");
  });

  it("exits 2 on a misspelt flag, listing the valid flags, before any work", async () => {
    const cli = io();
    expect(await runCli(["--preset", "tiny", "--stpes", "10"], cli)).toBe(2);
    expect(cli.written.stderr).toContain("error [INVALID_ARGUMENT]: Unknown flag --stpes.");
    expect(cli.written.stderr).toMatch(
      /Valid flags: --help, -h, --preset, -p <value>, .*--set <value>, .*--force\./,
    );
    expect(await runCli(["--preset", "huge"], cli)).toBe(2);
    expect(cli.written.stderr).toContain('Unknown preset "huge"');
  });
});
