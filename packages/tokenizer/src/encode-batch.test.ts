import { describe, expect, it } from "vitest";
import { mobyDickChapters } from "./__fixtures__/moby-dick.js";
import { encodeBatch } from "./encode-batch.js";
import { trainBpe } from "./train-bpe.js";

describe("encodeBatch", () => {
  it("gives the same ids on worker threads as on this thread, in order", async () => {
    const chapters = mobyDickChapters().slice(0, 40);
    const tokenizer = await trainBpe(chapters.slice(0, 10), { vocabSize: 800 });
    const texts = [...chapters, "<|bos|>hello"];
    const threaded = await encodeBatch(tokenizer, texts, {
      workers: 2,
      minCharsForWorkers: 0,
      allowedSpecial: "all",
    });
    expect(threaded).toHaveLength(texts.length);
    for (const [i, text] of texts.entries()) {
      expect(Array.from(threaded[i] as Uint32Array)).toEqual(
        tokenizer.encode(text, { allowedSpecial: "all" }),
      );
    }
    expect(threaded.at(-1)?.[0]).toBe(tokenizer.specialId("<|bos|>"));
  });

  it("encodes small inputs on the calling thread", async () => {
    const tokenizer = await trainBpe("hello hello", { vocabSize: 270 });
    const ids = await encodeBatch(tokenizer, ["hello", "hello there"]);
    expect(ids.map((a) => Array.from(a))).toEqual([
      tokenizer.encode("hello"),
      tokenizer.encode("hello there"),
    ]);
  });
});
