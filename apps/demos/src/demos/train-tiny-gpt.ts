/**
 * Demo: the whole pretraining idea in a minute. Trains a 512-token byte-level BPE on Moby Dick,
 * tokenizes a few chapters, trains a tiny GPT (2 layers, 64 wide) on them for `steps` steps
 * (default 60; `pnpm demo train-tiny-gpt 200` for more), printing loss, and samples a continuation
 * before and after training. A base model learns to continue text like its training data.
 */
import { Rng } from "@llm/core";
import { readCorpus } from "@llm/data";
import { ArrayBatchSource, Generator, GPT, initBackend, Trainer } from "@llm/model";
import { trainBpe } from "@llm/tokenizer";
import type { DemoOutput } from "../demo-registry.js";

export async function run(args: readonly string[], out: DemoOutput): Promise<void> {
  const steps = Number(args[0] ?? 60);
  const backend = await initBackend("auto");
  out.log(`backend: ${backend.name}`);
  const chapters: string[] = [];
  for await (const doc of readCorpus("moby-dick", { limit: 12 })) chapters.push(doc.text);
  const text = chapters.join("\n\n");
  const tokenizer = await trainBpe(text, { vocabSize: 512 });
  const ids = tokenizer.encode(text);
  out.log(`tokenizer: ${tokenizer.vocabSize} ids; ${text.length} characters -> ${ids.length} tokens`);
  const model = new GPT(
    { vocabSize: tokenizer.vocabSize, seqLen: 64, nLayer: 2, nEmbd: 64, nHead: 2 },
    { seed: 1 },
  );
  out.log(`model: ${model.parameterCount()} parameters`);
  const prompt = [tokenizer.specialId("<|bos|>"), ...tokenizer.encode("Call me Ishmael. Some years ago")];
  const stop = [...tokenizer.specialTokens.values()];
  const sample = async () =>
    tokenizer.decode(
      await new Generator(model).generateAll(prompt, { maxTokens: 30, temperature: 0.8, seed: 3, stop }),
    );
  out.log(`before training: Call me Ishmael. Some years ago${await sample()}`);
  // Random windows of the token stream, shuffled once.
  const rng = new Rng(7);
  const windows = Array.from({ length: Math.floor(ids.length / 65) }, (_, i) => i);
  rng.shuffle(windows);
  const shuffled = windows.flatMap((w) => ids.slice(w * 65, w * 65 + 65));
  const source = new ArrayBatchSource(shuffled, 8, 64);
  const trainer = new Trainer(
    model,
    { totalSteps: steps, lr: 3e-3, warmupSteps: 5 },
    {
      onStep: (e) => {
        if (e.step === 1 || e.step % 10 === 0 || e.step === steps) {
          out.log(
            `step ${e.step}/${steps} loss ${e.loss.toFixed(3)} (${Math.round(e.tokensPerSecond ?? 0)} tokens/s)`,
          );
        }
      },
    },
  );
  await trainer.run(source);
  trainer.dispose();
  out.log(`after training:  Call me Ishmael. Some years ago${await sample()}`);
  model.dispose();
  tokenizer.free();
}
