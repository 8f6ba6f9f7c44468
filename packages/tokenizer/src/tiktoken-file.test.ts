import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { getEncoding } from "./get-encoding.js";
import { loadTiktokenFile, saveTiktokenFile } from "./tiktoken-file.js";
import { trainBpe } from "./train-bpe.js";

const dir = mkdtempSync(join(tmpdir(), "llm-tiktoken-file-"));

describe(".tiktoken files", () => {
  it("exports ranks that load back to the same encoder", async () => {
    const ours = await trainBpe("the cat sat on the mat; the cat ate the rat", { vocabSize: 280 });
    const path = join(dir, "ours.tiktoken");
    await saveTiktokenFile(ours, path);
    const lines = readFileSync(path, "utf8").trim().split("\n");
    expect(lines).toHaveLength(ours.ordinarySize);
    expect(lines[97]).toBe(`${Buffer.from("a").toString("base64")} 97`);
    const loaded = await loadTiktokenFile(path, { specialTokens: Object.fromEntries(ours.specialTokens) });
    expect(loaded.encode("the rat sat")).toEqual(ours.encode("the rat sat"));
    expect(loaded.name).toBe("ours");
  });

  it("round-trips cl100k_base", async () => {
    const cl = getEncoding("cl100k_base");
    const path = join(dir, "cl100k_base.tiktoken");
    await saveTiktokenFile(cl, path);
    const loaded = await loadTiktokenFile(path, { pattern: cl.pattern });
    expect(loaded.encode("Hello, world! 12345")).toEqual(cl.encode("Hello, world! 12345"));
  });

  it("names the file and line of a corrupt rank file", async () => {
    const path = join(dir, "bad.tiktoken");
    writeFileSync(path, "YQ== 0\nYg== 0\n");
    await expect(loadTiktokenFile(path)).rejects.toThrow(/bad\.tiktoken line 2/);
    writeFileSync(path, "YQ== 1\n");
    await expect(loadTiktokenFile(path)).rejects.toThrow(/bad\.tiktoken/);
    await expect(loadTiktokenFile(join(dir, "none.tiktoken"))).rejects.toMatchObject({
      code: "FILE_NOT_FOUND",
    });
  });
});
