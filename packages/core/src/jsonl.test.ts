import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { isLlmError, type LlmError } from "./errors.js";
import { type JsonlOptions, parseJsonl, readJsonl, streamJsonl } from "./jsonl.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "llm-jsonl-"));
});

async function collect<T>(generator: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of generator) out.push(value);
  return out;
}

async function failure(work: () => Promise<unknown>): Promise<LlmError> {
  const error = await work().then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isLlmError(error)) throw new Error(`expected an LlmError, got ${String(error)}`);
  return error;
}

/** The three readers over the same file contents. */
const readers: Array<[string, (text: string, options?: JsonlOptions) => Promise<unknown[]>]> = [
  ["parseJsonl", async (text, options) => parseJsonl(text, "mem.jsonl", options)],
  [
    "readJsonl",
    async (text, options) => {
      const path = join(dir, `read-${Math.random().toString(36).slice(2)}.jsonl`);
      await writeFile(path, text);
      return readJsonl(path, options);
    },
  ],
  [
    "streamJsonl",
    async (text, options) => {
      const path = join(dir, `stream-${Math.random().toString(36).slice(2)}.jsonl`);
      await writeFile(path, text);
      return collect(streamJsonl(path, options));
    },
  ],
];

describe.each(readers)("%s", (_name, read) => {
  it("reads one value per line, skipping blank lines and CRLF endings", async () => {
    expect(await read('{"a":1}\n\n  \r\n[2]\r\n"three"')).toEqual([{ a: 1 }, [2], "three"]);
    expect(await read("")).toEqual([]);
  });

  it("names the file and the 1-based line of a malformed line, with a hint", async () => {
    const error = await failure(() => read('{"a":1}\n\n{"a":\n{"a":3}\n', { hint: "Rerun the data stage." }));
    expect(error.code).toBe("FILE_CORRUPT");
    expect(error.input).toMatch(/\.jsonl:3$/);
    expect(error.message).toMatch(/^Line 3 of .*\.jsonl is not valid JSON/);
    expect(error.hint).toBe("Rerun the data stage.");
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it("has a default hint", async () => {
    const error = await failure(() => read("nope\n"));
    expect(error.input).toMatch(/\.jsonl:1$/);
    expect(error.hint).toMatch(/fix or delete that line/);
  });

  it("fails a line that is JSON but not what check wants, with check's sentence", async () => {
    const check = (value: unknown) =>
      typeof (value as { text?: unknown })?.text === "string" ? undefined : 'has no "text" string';
    expect(await read('{"text":"x"}\n', { check })).toEqual([{ text: "x" }]);
    const error = await failure(() => read('{"text":"x"}\n{"txt":"y"}\n', { check }));
    expect(error.code).toBe("FILE_CORRUPT");
    expect(error.message).toMatch(/^Line 2 of .*\.jsonl has no "text" string\./);
    expect(error.input).toMatch(/\.jsonl:2$/);
  });

  it("skips torn lines only when asked, and still applies check", async () => {
    const log = '{"step":1}\n{"st{"step":2}\n{"step":3}\n{"ste';
    expect(await read(log, { skipTornLines: true })).toEqual([{ step: 1 }, { step: 3 }]);
    await expect(read(log)).rejects.toMatchObject({ code: "FILE_CORRUPT" });
    const check = (value: unknown) => ((value as { step?: unknown }).step === 3 ? "is step 3" : undefined);
    await expect(read(log, { skipTornLines: true, check })).rejects.toThrow(/Line 3 of .* is step 3/);
  });
});

describe("missing files", () => {
  const missing = () => join(dir, "does-not-exist.jsonl");

  it("are FILE_NOT_FOUND naming the path, or empty when asked", async () => {
    const whole = await failure(() => readJsonl(missing()));
    expect(whole.code).toBe("FILE_NOT_FOUND");
    expect(whole.input).toBe(missing());
    const streamed = await failure(() => collect(streamJsonl(missing())));
    expect(streamed.code).toBe("FILE_NOT_FOUND");
    expect(await readJsonl(missing(), { missingIsEmpty: true })).toEqual([]);
    expect(await collect(streamJsonl(missing(), { missingIsEmpty: true }))).toEqual([]);
  });
});

describe("streamJsonl", () => {
  it("streams a file larger than one read chunk and stops early without leaking the file", async () => {
    const path = join(dir, "big.jsonl");
    const lines = Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ i, pad: "x".repeat(20) }));
    await writeFile(path, `${lines.join("\n")}\n`);
    let count = 0;
    for await (const record of streamJsonl<{ i: number }>(path)) {
      expect(record.i).toBe(count);
      count++;
    }
    expect(count).toBe(20_000);
    const first: number[] = [];
    for await (const record of streamJsonl<{ i: number }>(path)) {
      first.push(record.i);
      if (first.length === 3) break;
    }
    expect(first).toEqual([0, 1, 2]);
  });
});
