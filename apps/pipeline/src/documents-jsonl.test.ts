import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readDocumentsJsonl, readTexts, writeDocumentsJsonl } from "./documents-jsonl.js";

const dir = await mkdtemp(join(tmpdir(), "documents-jsonl-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe("documents JSONL", () => {
  it("reads back what it wrote", async () => {
    const path = join(dir, "train.jsonl");
    const docs = [
      { id: "a", text: "one\ntwo", metadata: { source: "x" } },
      { id: "b", text: "three", metadata: {} },
    ];
    expect(await writeDocumentsJsonl(path, docs)).toEqual({ documents: 2, chars: 12, bytes: 12 });
    expect(await collect(readDocumentsJsonl(path))).toEqual(docs);
    expect(await collect(readTexts(path))).toEqual(["one\ntwo", "three"]);
  });

  it("names the file and line of a malformed or textless line, and says how to fix it", async () => {
    const path = join(dir, "bad.jsonl");
    await writeFile(path, '{"id":"a","text":"ok"}\n{"id":"b","text":\n');
    await expect(collect(readDocumentsJsonl(path))).rejects.toMatchObject({
      code: "FILE_CORRUPT",
      input: `${path}:2`,
      hint: expect.stringContaining("--from data"),
    });
    await writeFile(path, '{"id":"a","text":"ok"}\n{"id":"b"}\n');
    await expect(collect(readDocumentsJsonl(path))).rejects.toMatchObject({
      code: "FILE_CORRUPT",
      input: `${path}:2`,
      message: expect.stringContaining('is not a document with a "text" string'),
    });
  });
});
