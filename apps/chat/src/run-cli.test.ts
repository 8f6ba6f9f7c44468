import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { type CliIo, runCli } from "./run-cli.js";

function io(): CliIo & { lines: { out: string[]; err: string[] } } {
  const lines = { out: [] as string[], err: [] as string[] };
  return {
    lines,
    out: (line) => lines.out.push(line),
    err: (line) => lines.err.push(line),
    stdin: new PassThrough(),
    stdout: new PassThrough(),
    cwd: import.meta.dirname,
    stopped: async () => {},
  };
}

describe("pnpm chat flags", () => {
  it("prints the help", async () => {
    const cli = io();
    expect(await runCli(["--help"], cli)).toBe(0);
    expect(cli.lines.out[0]).toMatch(/^Usage: pnpm chat \[options\]/);
  });

  it("fails a misspelt flag or a stray word with exit code 2, listing the valid flags, before loading a model", async () => {
    const cli = io();
    expect(await runCli(["--run", "nowhere", "--temprature", "0"], cli)).toBe(2);
    expect(cli.lines.err[0]).toContain("error INVALID_ARGUMENT: Unknown flag --temprature.");
    expect(cli.lines.err[0]).toMatch(
      /Valid flags: --help, -h, --run <value>, --stage <value>, .*--temperature <value>, .*--allow-host <value>\./,
    );
    expect(await runCli(["runs/small"], cli)).toBe(2);
    expect(cli.lines.err[1]).toContain("Unexpected argument runs/small.");
  });

  it("checks values before loading a model", async () => {
    const cli = io();
    expect(await runCli(["--stage", "final"], cli)).toBe(2);
    expect(cli.lines.err[0]).toContain('--stage must be rl, sft or base, got "final"');
  });
});
