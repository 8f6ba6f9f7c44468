import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readRunSearchDocuments, readSearchDocuments } from "./read-search-documents.js";

const dir = await mkdtemp(join(tmpdir(), "search-docs-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("readSearchDocuments", () => {
  it("reads the texts of JSONL documents in file order and skips missing files", async () => {
    const train = join(dir, "train.jsonl");
    const val = join(dir, "val.jsonl");
    await writeFile(
      train,
      '{"id":"a","text":"Wilnar is a baker."}\n\n{"id":"b","text":"Call me Ishmael."}\n',
    );
    await writeFile(val, '{"text":"Lomek is a town."}\n');
    expect(await readSearchDocuments([train, join(dir, "missing.jsonl"), val])).toEqual([
      "Wilnar is a baker.",
      "Call me Ishmael.",
      "Lomek is a town.",
    ]);
  });

  it("reads a run folder's data/train.jsonl, then data/val.jsonl", async () => {
    const run = join(dir, "run");
    await mkdir(join(run, "data"), { recursive: true });
    await writeFile(join(run, "data", "val.jsonl"), '{"text":"held out"}\n');
    expect(await readRunSearchDocuments(run)).toEqual(["held out"]);
    await writeFile(join(run, "data", "train.jsonl"), '{"text":"trained on"}\n');
    expect(await readRunSearchDocuments(run)).toEqual(["trained on", "held out"]);
    expect(await readRunSearchDocuments(join(dir, "no-run"))).toEqual([]);
  });

  it("names the file and line of a bad row", async () => {
    const bad = join(dir, "bad.jsonl");
    await writeFile(bad, '{"text":"fine"}\n{"text": 3}\n');
    await expect(readSearchDocuments([bad])).rejects.toMatchObject({
      code: "FILE_CORRUPT",
      message: expect.stringContaining("bad.jsonl:2"),
    });
  });
});
