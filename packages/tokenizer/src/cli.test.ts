import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { mobyDickChapters } from "./__fixtures__/moby-dick.js";
import { runCli } from "./run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "llm-tokenizer-cli-"));

async function llmTokenizer(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    stdin: async () => "from stdin",
  });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

describe("llm-tokenizer CLI", () => {
  it("trains, encodes, decodes and shows stats", async () => {
    const corpus = join(dir, "corpus.jsonl");
    writeFileSync(
      corpus,
      `${mobyDickChapters()
        .slice(0, 6)
        .map((text) => JSON.stringify({ text }))
        .join("\n")}\n`,
    );
    const trained = await llmTokenizer(
      "train",
      "-i",
      corpus,
      "-o",
      join(dir, "tok"),
      "--vocab-size",
      "400",
      "--tiktoken",
    );
    expect(trained.code).toBe(0);
    expect(trained.stdout).toMatch(/wrote .*tokenizer\.json: 400 ids/);
    expect(trained.stderr).toContain("merges 135/135");
    expect(readFileSync(join(dir, "tok", "tokenizer.tiktoken"), "utf8").split("\n")).toHaveLength(392);

    const tok = join(dir, "tok", "tokenizer.json");
    const encoded = await llmTokenizer("encode", "-t", tok, "--text", "Call me Ishmael.");
    const ids = encoded.stdout.trim().split(" ");
    expect(ids.length).toBeGreaterThan(3);
    expect((await llmTokenizer("decode", "-t", tok, ids.join(","))).stdout).toBe("Call me Ishmael.");
    const pieces = (await llmTokenizer("encode", "-t", tok, "--pieces")).stdout.split("\n");
    expect(pieces.map((line) => JSON.parse(line.split("\t")[1] as string)).join("")).toBe("from stdin");
    expect((await llmTokenizer("encode", "--allow-special", "--text", "<|endoftext|>")).stdout).toBe(
      "100257",
    );

    const compared = await llmTokenizer(
      "compare",
      "--tokenizers",
      "gpt2,cl100k_base",
      "-t",
      tok,
      "--no-color",
      "--ids",
      "Hello world",
    );
    expect(compared.stdout).toContain("cl100k_base  2 tokens");
    expect(compared.stdout).toContain("Hello| world");
    expect(compared.stdout).toContain("[9906, 1917]");
    expect(compared.stdout).toContain("bpe-400  ");
    const html = join(dir, "compare.html");
    await llmTokenizer("compare", "--tokenizers", "gpt2", "--html", html, "我刚才吃了西瓜籽");
    expect(readFileSync(html, "utf8")).toContain("jieba words");

    const stats = await llmTokenizer("stats", "-i", corpus, "--tokenizers", "cl100k_base", "-t", tok);
    expect(stats.stdout).toMatch(/cl100k_base\s+\d+\s+4\.\d{3}/);
    expect(stats.stdout).toContain("6 documents");
  });

  it("prints help for every command and fails clearly on bad input", async () => {
    for (const command of ["train", "encode", "decode", "compare", "stats"]) {
      const { stdout, code } = await llmTokenizer(command, "--help");
      expect(code).toBe(0);
      expect(stdout).toContain(`llm-tokenizer ${command}`);
    }
    expect((await llmTokenizer()).stdout).toContain("Commands:");
    const missing = await llmTokenizer("encode", "-t", join(dir, "nope.json"), "--text", "x");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("nope.json");
    expect((await llmTokenizer("frobnicate")).stderr).toContain("Unknown command");
    expect((await llmTokenizer("train", "--vocab-size", "10")).stderr).toContain("--input and --out");
    expect((await llmTokenizer("encode", "--bogus")).stderr).toContain("bogus");
  });

  it("fails a misspelt flag, listing the valid ones, before doing any work", async () => {
    const typo = await llmTokenizer("train", "-i", "x.jsonl", "-o", join(dir, "typo"), "--vocab-szie", "300");
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain("Unknown flag --vocab-szie.");
    expect(typo.stderr).toContain(
      "Valid flags: --help, -h, --input, -i <value>, --out, -o <value>, --vocab-size <value>",
    );
    const stray = await llmTokenizer("encode", "--text", "x", "extra");
    expect(stray.code).toBe(1);
    expect(stray.stderr).toContain("Unexpected argument extra.");
  });

  it("runs as a program (the bin entry)", async () => {
    const cli = new URL("./cli.ts", import.meta.url).pathname;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "--conditions=@llm/source", cli, "--help"],
      {
        cwd: new URL("..", import.meta.url).pathname,
        encoding: "utf8",
      },
    );
    expect(stdout).toContain("llm-tokenizer <command>");
  });
});
