import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Conversation } from "@llm/core";
import { GPT, initBackend, loadCheckpoint } from "@llm/model";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ByteTokenizer } from "../testing/byte-tokenizer.js";
import { trainSft } from "./train-sft.js";

const tok = new ByteTokenizer();
const conversations: Conversation[] = Array.from({ length: 6 }, (_, i) => ({
  messages: [
    { role: "user", content: `q${i}` },
    { role: "assistant", content: `answer ${i}` },
  ],
}));
const modelConfig = { vocabSize: tok.vocabSize, seqLen: 32, nLayer: 1, nEmbd: 32, nHead: 2 };
const config = { tokenizer: tok, batchSize: 2, steps: 4, lr: 1e-2, seed: 3 };

let dir: string;
beforeAll(async () => {
  await initBackend("wasm");
  dir = await mkdtemp(join(tmpdir(), "sft-train-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("trainSft", () => {
  it("checkpoints an aborted run and resumes it to the same losses as an uninterrupted run", async () => {
    const full: number[] = [];
    const a = new GPT(modelConfig, { seed: 1 });
    const before = tf.memory().numTensors;
    const result = await trainSft(a, conversations, config, { onStep: (e) => full.push(e.loss) });
    expect(result).toMatchObject({ steps: 4, totalSteps: 4, skipped: 0 });
    expect(tf.memory().numTensors).toBe(before);
    a.dispose();

    const partial: number[] = [];
    const controller = new AbortController();
    const b = new GPT(modelConfig, { seed: 1 });
    await trainSft(
      b,
      conversations,
      { ...config, checkpointDir: join(dir, "ckpt"), signal: controller.signal },
      {
        onStep: (e) => {
          partial.push(e.loss);
          if (e.step === 2) controller.abort();
        },
      },
    );
    b.dispose();
    const loaded = await loadCheckpoint(join(dir, "ckpt"));
    expect(loaded.state.step).toBe(2);
    await trainSft(
      loaded.model,
      conversations,
      { ...config, resumeFrom: loaded },
      { onStep: (e) => partial.push(e.loss) },
    );
    loaded.model.dispose();
    expect(partial).toHaveLength(4);
    for (const [i, loss] of partial.entries()) expect(loss).toBeCloseTo(full[i] as number, 5);
  });

  it("rejects a tokenizer larger than the model's vocabulary", async () => {
    const small = new GPT({ ...modelConfig, vocabSize: 100 }, { seed: 1 });
    await expect(trainSft(small, conversations, config)).rejects.toMatchObject({ code: "FILE_MISMATCH" });
    small.dispose();
  });
});
