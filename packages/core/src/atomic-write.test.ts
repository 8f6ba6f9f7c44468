import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeFileAtomic, writeJsonAtomic } from "./atomic-write.js";
import { isLlmError, LlmError } from "./errors.js";

describe("writeFileAtomic", () => {
  it("replaces a file without leaving temp files behind", async () => {
    const dir = await mkdtemp(join(tmpdir(), "llm-core-"));
    const path = join(dir, "nested", "a.json");
    await writeJsonAtomic(path, { a: 1 });
    await writeJsonAtomic(path, { a: 2 });
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual({ a: 2 });
    expect(await readdir(join(dir, "nested"))).toEqual(["a.json"]);
  });

  it("keeps the old file when the write fails", async () => {
    const dir = await mkdtemp(join(tmpdir(), "llm-core-"));
    const path = join(dir, "keep.txt");
    await writeFile(path, "old");
    // A directory cannot be renamed over a file's parent path: write into a path whose parent is a file.
    await expect(writeFileAtomic(join(path, "child.txt"), "new")).rejects.toThrow();
    expect(await readFile(path, "utf8")).toBe("old");
  });
});

describe("LlmError", () => {
  it("carries code, input and hint into its message", () => {
    const error = new LlmError("FILE_CORRUPT", "Shard header is truncated.", {
      input: "/tmp/x.bin",
      hint: "Re-run the tokenize step.",
    });
    expect(error.message).toContain("/tmp/x.bin");
    expect(error.message).toContain("Re-run");
    expect(isLlmError(error, "FILE_CORRUPT")).toBe(true);
    expect(isLlmError(error, "FILE_NOT_FOUND")).toBe(false);
    expect(isLlmError(new Error("x"))).toBe(false);
  });
});
