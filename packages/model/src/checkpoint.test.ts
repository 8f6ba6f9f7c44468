import { cp, mkdtemp, readdir, readFile, rename, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isLlmError } from "@llm/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArrayBatchSource } from "./array-batch-source.js";
import { loadCheckpoint, saveCheckpoint } from "./checkpoint.js";
import { GPT } from "./gpt.js";
import { initBackend } from "./init-backend.js";
import { patternTokens, TINY } from "./test-helpers.js";
import { Trainer } from "./trainer.js";

let root: string;
beforeAll(async () => {
  await initBackend("wasm");
  root = await mkdtemp(join(tmpdir(), "llm-model-ckpt-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return isLlmError(error) ? error.code : `not an LlmError: ${String(error)}`;
  }
  return undefined;
}

const tokens = patternTokens(3000);
const config = { totalSteps: 8, lr: 1e-2, warmupSteps: 2, seed: 3 };

describe("checkpoints", () => {
  it("write the four files atomically and load them back exactly", async () => {
    const model = new GPT(TINY, { seed: 1 });
    const trainer = new Trainer(model, config);
    const source = new ArrayBatchSource(tokens, 2, 16);
    await trainer.run(source, { untilStep: 2 });
    const dir = join(root, "a");
    await trainer.save(dir, source);
    await trainer.save(dir, source); // replacing an existing checkpoint
    expect((await readdir(dir)).sort()).toEqual([
      "config.json",
      "model.safetensors",
      "optimizer.safetensors",
      "state.json",
    ]);
    expect((await readdir(root)).filter((n) => n.startsWith("."))).toEqual([]);
    const loaded = await loadCheckpoint(dir);
    expect(loaded.config).toEqual(model.config);
    expect(loaded.state).toMatchObject({
      step: 2,
      totalSteps: 8,
      stage: "pretrain",
      dataPosition: source.position(),
    });
    expect(loaded.optimizerState?.step).toBe(2);
    const original = await model.getWeights();
    const restored = await loaded.model.getWeights();
    for (const [name, w] of original) expect(restored.get(name)?.data, name).toEqual(w.data);
    loaded.model.dispose();
    trainer.dispose();
    model.dispose();
  });

  it("resuming a run stopped mid-way reproduces the uninterrupted loss curve", async () => {
    const full = new GPT(TINY, { seed: 7 });
    const fullTrainer = new Trainer(full, config);
    const fullResult = await fullTrainer.run(new ArrayBatchSource(tokens, 2, 16));
    fullTrainer.dispose();
    full.dispose();

    const first = new GPT(TINY, { seed: 7 });
    const firstTrainer = new Trainer(first, {
      ...config,
      checkpointDir: join(root, "resume"),
      checkpointEvery: 3,
    });
    const firstResult = await firstTrainer.run(new ArrayBatchSource(tokens, 2, 16), { untilStep: 5 }); // "killed" after 5
    firstTrainer.dispose();
    first.dispose();

    const loaded = await loadCheckpoint(join(root, "resume")); // last saved at step 3
    expect(loaded.state.step).toBe(3);
    const source = new ArrayBatchSource(tokens, 2, 16);
    const trainer = new Trainer(loaded.model, config);
    trainer.restore(loaded, source);
    const rest = await trainer.run(source);
    expect([...firstResult.losses.slice(0, 3), ...rest.losses]).toEqual(fullResult.losses);
    trainer.dispose();
    loaded.model.dispose();
  });

  it("completes a save that was killed between its two renames", async () => {
    const model = new GPT(TINY, { seed: 1 });
    const dir = join(root, "interrupted");
    await saveCheckpoint(dir, { model, state: { step: 1 } });
    await saveCheckpoint(join(root, "newer"), { model, state: { step: 2 } });
    model.dispose();
    // the state a crash leaves: old checkpoint moved aside, the complete new one still under its temp name
    await rename(dir, join(root, ".interrupted.abc123.old"));
    await cp(join(root, "newer"), join(root, ".interrupted.abc123.tmp"), { recursive: true });
    const loaded = await loadCheckpoint(dir);
    expect(loaded.state.step).toBe(2);
    expect((await readdir(root)).filter((n) => n.startsWith(".interrupted"))).toEqual([]);
    loaded.model.dispose();
  });

  it("raise LlmError on missing, corrupt, truncated or mismatched checkpoints", async () => {
    const model = new GPT(TINY, { seed: 1 });
    const dir = join(root, "bad");
    await saveCheckpoint(dir, { model, state: { step: 0 } });
    model.dispose();
    expect(await codeOf(loadCheckpoint(join(root, "nope")))).toBe("FILE_NOT_FOUND");
    expect(await codeOf(loadCheckpoint(dir, { vocabSize: 128 }))).toBe("FILE_MISMATCH");

    const configText = await readFile(join(dir, "config.json"), "utf8");
    await writeFile(join(dir, "config.json"), configText.replace('"nLayer": 2', '"nLayer": 3'));
    expect(await codeOf(loadCheckpoint(dir))).toBe("FILE_MISMATCH");
    await writeFile(join(dir, "config.json"), "{ not json");
    expect(await codeOf(loadCheckpoint(dir))).toBe("FILE_CORRUPT");
    await writeFile(join(dir, "config.json"), configText);

    const size = (await readFile(join(dir, "model.safetensors"))).length;
    await truncate(join(dir, "model.safetensors"), size - 100);
    expect(await codeOf(loadCheckpoint(dir))).toBe("FILE_CORRUPT");
    await rm(join(dir, "model.safetensors"));
    expect(await codeOf(loadCheckpoint(dir))).toBe("FILE_NOT_FOUND");
  });
});
