import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { acquireRunLock, LlmError, type LogEvent } from "@llm/core";
import { describe, expect, it } from "vitest";
import { BpeTokenizer } from "./bpe-tokenizer.js";
import { decodeUtf8 } from "./decode-utf8.js";
import { checkPattern } from "./pattern.js";
import { readDocuments } from "./read-documents.js";
import { runCli } from "./run-cli.js";
import { trainBpe } from "./train-bpe.js";

const dir = mkdtempSync(join(tmpdir(), "llm-tokenizer-entry-"));

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    stdin: async () => "",
  });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

async function rejection(promise: Promise<unknown>): Promise<LlmError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LlmError);
  return error as LlmError;
}

describe("patterns that match the empty string are refused where they enter", () => {
  for (const pattern of ["x*", "a|", "(?=a)", "\\s*"]) {
    it(`trainBpe refuses ${JSON.stringify(pattern)} at once (no hang)`, async () => {
      const error = await rejection(trainBpe("hello world", { vocabSize: 300, pattern }));
      expect(error.code).toBe("INVALID_CONFIG");
      expect(error.input).toBe(pattern);
      expect(error.message).toMatch(/empty string/);
    });
  }

  it("the CLI prints the typed error and exits 1", async () => {
    const corpus = join(dir, "c.txt");
    writeFileSync(corpus, "hello world");
    const result = await cli(
      "train",
      "-i",
      corpus,
      "-o",
      join(dir, "tok-x"),
      "--vocab-size",
      "300",
      "--pattern",
      "x*",
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/empty string/);
  });

  it("accepts the patterns we ship", () => {
    expect(() => checkPattern("'s|\\p{L}+|\\p{N}|\\s+|[^\\s\\p{L}\\p{N}]+")).not.toThrow();
  });
});

describe("a tokenizer.json whose pattern is not a valid regex", () => {
  it("fails at load with FILE_CORRUPT naming the file, not at encode in WASM", async () => {
    const good = await trainBpe("hello world hello", { vocabSize: 270 });
    const path = join(dir, "bad-pattern.json");
    await good.save(path);
    const json = JSON.parse((await import("node:fs")).readFileSync(path, "utf8"));
    json.pattern = "\\p{L}+|(unclosed";
    writeFileSync(path, JSON.stringify(json));
    const error = await rejection(BpeTokenizer.load(path));
    expect(error.code).toBe("FILE_CORRUPT");
    expect(error.input).toBe(path);
    expect(error.message).toContain("pattern");
  });
});

describe("non-UTF-8 input is counted and reported", () => {
  it("decodeUtf8 counts the replaced bytes (and not real U+FFFD characters)", () => {
    expect(decodeUtf8(Buffer.from("héllo \ufffd", "utf8")).replacedBytes).toBe(0);
    // 0xff, 0xc3 cut before its continuation, a lone continuation 0x80, a 3-byte lead cut to 2.
    const bytes = Buffer.concat([
      Buffer.from("a"),
      Buffer.from([0xff]),
      Buffer.from("b\ufffd"),
      Buffer.from([0xc3]),
      Buffer.from("c"),
      Buffer.from([0x80]),
      Buffer.from([0xe6, 0xb0]),
    ]);
    const decoded = decodeUtf8(bytes);
    expect(decoded.text).toBe("a\ufffdb\ufffd\ufffdc\ufffd\ufffd");
    expect(decoded.replacedBytes).toBe(5);
  });

  it("readDocuments warns with the file and the count; train, encode and stats print it", async () => {
    const path = join(dir, "latin1.txt");
    writeFileSync(path, Buffer.from("caf\xe9 na\xefve hello world hello world", "latin1"));
    const logs: LogEvent[] = [];
    const docs: string[] = [];
    for await (const doc of readDocuments([path], { onLog: (e) => logs.push(e) })) docs.push(doc);
    expect(docs[0]).toContain("caf\ufffd");
    expect(logs).toEqual([
      expect.objectContaining({
        level: "warn",
        message: expect.stringContaining(`${path}: 2 bytes are not valid UTF-8`),
      }),
    ]);
    const jsonl = join(dir, "bad.jsonl");
    writeFileSync(
      jsonl,
      Buffer.concat([Buffer.from('{"text": "ab'), Buffer.from([0xfe, 0xfe, 0xfe]), Buffer.from('"}\n')]),
    );
    const warning = new RegExp(`${jsonl}: 3 bytes are not valid UTF-8`);
    const train = await cli("train", "-i", jsonl, "-o", join(dir, "tok-bad"), "--vocab-size", "270");
    expect(train.code).toBe(0);
    expect(train.stderr).toMatch(warning);
    const stats = await cli("stats", "-i", jsonl, "--tokenizers", "gpt2");
    expect(stats.stderr).toMatch(warning);
    const encode = await cli("encode", "-t", "gpt2", "--file", path);
    expect(encode.stderr).toMatch(new RegExp(`${path}: 2 bytes are not valid UTF-8`));
  });
});

describe("one writer per output folder", () => {
  it("llm-tokenizer train refuses an --out folder another live process holds (LOCKED)", async () => {
    const corpus = join(dir, "lock.txt");
    writeFileSync(corpus, "hello world");
    const out = join(dir, "tok-locked");
    const held = await acquireRunLock(out, { command: "pnpm pipeline" });
    const result = await cli("train", "-i", corpus, "-o", out, "--vocab-size", "270");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/being written by pnpm pipeline \(pid \d+/);
    await held.release();
    expect((await cli("train", "-i", corpus, "-o", out, "--vocab-size", "270")).code).toBe(0);
  });
});
