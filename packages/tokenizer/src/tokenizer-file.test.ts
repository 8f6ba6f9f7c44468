import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isLlmError } from "@llm/core";
import { describe, expect, it } from "vitest";
import { mobyDickChapters } from "./__fixtures__/moby-dick.js";
import { BpeTokenizer } from "./bpe-tokenizer.js";
import { trainBpe } from "./train-bpe.js";

const dir = mkdtempSync(join(tmpdir(), "llm-tokenizer-file-"));

async function expectLoadError(path: string, code: string, text: RegExp): Promise<void> {
  try {
    await BpeTokenizer.load(path);
    expect.unreachable();
  } catch (error) {
    expect(isLlmError(error)).toBe(true);
    expect((error as { code: string }).code).toBe(code);
    expect(String(error)).toContain(path);
    expect(String(error)).toMatch(text);
  }
}

describe("tokenizer.json", () => {
  it("saves and loads a trained tokenizer with identical behaviour", async () => {
    const tokenizer = await trainBpe(mobyDickChapters().slice(0, 5), { vocabSize: 512, name: "small" });
    const path = join(dir, "tok", "tokenizer.json");
    await tokenizer.save(path);
    const loaded = await BpeTokenizer.load(path);
    expect(loaded.name).toBe("small");
    expect(loaded.vocabSize).toBe(512);
    expect(loaded.merges).toEqual(tokenizer.merges);
    expect([...loaded.specialTokens]).toEqual([...tokenizer.specialTokens]);
    const text = mobyDickChapters()[9] as string;
    expect(loaded.encode(text)).toEqual(tokenizer.encode(text));
    const json = JSON.parse(readFileSync(path, "utf8"));
    expect(json.format).toBe("llm-tokenizer");
    expect(json.version).toBe(1);
  });

  it("raises LlmErrors that name a missing, corrupt or mismatched file", async () => {
    const good = await trainBpe("hello hello world", { vocabSize: 270 });
    const base = good.toJSON();
    await expectLoadError(join(dir, "missing.json"), "FILE_NOT_FOUND", /does not exist/);

    const write = (name: string, content: unknown): string => {
      const path = join(dir, name);
      writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
      return path;
    };
    await expectLoadError(
      write("truncated.json", JSON.stringify(base).slice(0, 50)),
      "FILE_CORRUPT",
      /not valid JSON/,
    );
    await expectLoadError(
      write("hf.json", { version: "1.0", model: {}, added_tokens: [] }),
      "FILE_MISMATCH",
      /Hugging Face/,
    );
    await expectLoadError(write("v9.json", { ...base, version: 9 }), "UNSUPPORTED_FORMAT", /version 9/);
    await expectLoadError(write("size.json", { ...base, vocabSize: 999 }), "FILE_MISMATCH", /vocabSize 999/);
    await expectLoadError(write("tokens.json", { ...base, tokens: "x" }), "FILE_CORRUPT", /tokens/);
    await expectLoadError(
      write("b64.json", { ...base, tokens: ["!!", ...base.tokens.slice(1)] }),
      "FILE_CORRUPT",
      /base64/,
    );
    const badMerges = base.merges?.map(([l, r], i) => (i === 0 ? [r, l] : [l, r]));
    await expectLoadError(
      write("merges.json", { ...base, merges: badMerges }),
      "FILE_CORRUPT",
      /merges\[0\]/,
    );
    await expectLoadError(
      write("special.json", { ...base, specialTokens: { "<|bos|>": 3 } }),
      "FILE_CORRUPT",
      /special token/,
    );
  });
});
