import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

const dir = await mkdtemp(join(tmpdir(), "llm-data-cli-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

async function llmData(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env: {} });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("llm-data", () => {
  it("prints usage", async () => {
    const help = await llmData("--help");
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^usage: llm-data <command>/);
    expect((await llmData()).out).toMatch(/^usage: llm-data/);
  });

  it("fails a misspelt flag before doing any work, listing the valid flags", async () => {
    const out = join(dir, "never");
    const typo = await llmData("clean", "--inptu", "x.jsonl", "--out", out);
    expect(typo.code).toBe(1);
    expect(typo.err).toContain("llm-data: INVALID_ARGUMENT: Unknown flag --inptu.");
    expect(typo.err).toMatch(
      /Valid flags: --help, -h, --input <value>, --out <value>, .*--fail-fast, .*--rule <value>\./,
    );
    const steps = await llmData("tokenize", "--out", out, "--shards", out, "--stpes", "10");
    expect(steps.err).toContain("Unknown flag --stpes.");
  });

  it("writes an offline corpus and reports a missing flag by name", async () => {
    const path = join(dir, "moby.jsonl");
    const corpus = await llmData("corpus", "--name", "moby-dick", "--limit", "2", "--out", path);
    expect(corpus).toMatchObject({ code: 0, out: `wrote 2 documents to ${path}` });
    const lines = (await readFile(path, "utf8")).trim().split("\n");
    expect(lines.map((line) => typeof JSON.parse(line).text)).toEqual(["string", "string"]);
    const missing = await llmData("corpus", "--name", "moby-dick");
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("Missing --out");
  });
});
