import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

function io() {
  const lines = { out: [] as string[], err: [] as string[] };
  return { lines, out: (l: string) => lines.out.push(l), err: (l: string) => lines.err.push(l) };
}

describe("pnpm demo", () => {
  it("lists the demos, and exits 2 on an unknown one", async () => {
    const cli = io();
    expect(await runCli(["list"], cli)).toBe(0);
    expect(cli.lines.out[0]).toMatch(/^Usage: pnpm demo NAME/);
    expect(await runCli(["nope"], cli)).toBe(2);
    expect(cli.lines.err[0]).toContain('Unknown demo "nope"');
  });

  it("a demo fails a misspelt flag with the valid ones before it starts", async () => {
    await expect(runCli(["grpo-arithmetic", "--rnu", "runs/small"], io())).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
      message: expect.stringContaining("Unknown flag --rnu."),
      hint: "Valid flags: --help, --run <value>.",
    });
  });
});
