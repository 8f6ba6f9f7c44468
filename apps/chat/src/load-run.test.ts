import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { isLlmError } from "@llm/core";
import { GPT, initBackend, saveCheckpoint } from "@llm/model";
import { trainBpe } from "@llm/tokenizer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChatServer } from "./chat-server.js";
import {
  type LoadedRun,
  lastFinishedStage,
  loadRun,
  runCopyGuard,
  runLoopGuard,
  runToolGrammar,
  runWordStepGuard,
} from "./load-run.js";

// biome-ignore lint/suspicious/noExplicitAny: JSON bodies are checked field by field below.
const readJson = (res: Response): Promise<any> => res.json() as Promise<any>;

let runDir: string;
let run: LoadedRun | undefined;

beforeAll(async () => {
  await initBackend("cpu");
  runDir = await mkdtemp(join(tmpdir(), "llm-chat-run-"));
  const text = "How many r are in strawberry? There are three. Who are you? I am a small model. ".repeat(20);
  const tokenizer = await trainBpe(text, { vocabSize: 300 });
  await tokenizer.save(join(runDir, "tokenizer", "tokenizer.json"));
  const model = new GPT(
    { vocabSize: tokenizer.vocabSize, seqLen: 64, nLayer: 1, nEmbd: 32, nHead: 2 },
    { seed: 3 },
  );
  await saveCheckpoint(join(runDir, "sft"), { model });
  model.dispose();
  await mkdir(join(runDir, "data"), { recursive: true });
  await writeFile(
    join(runDir, "data", "train.jsonl"),
    `${JSON.stringify({ id: "k", text: "Wilnar is a baker from Lomek." })}\n`,
  );
});

afterAll(async () => {
  await run?.dispose();
});

describe("loadRun", () => {
  it("serves a real checkpoint through the OpenAI endpoint", async () => {
    run = await loadRun(runDir, "sft");
    expect(run.info.parameters).toBeGreaterThan(0);
    // the tool's search() looks through the run's corpus
    expect(run.info.searchDocuments).toBe(1);
    expect((await run.sandbox.run('search("Wilnar")')).output).toBe('["Wilnar is a baker from Lomek."]');
    const server = new ChatServer({
      engine: run.engine,
      tokenizer: run.tokenizer,
      staticDir: resolve(import.meta.dirname, "../public"),
      info: run.info,
    });
    const address = await server.listen(0);
    const res = await fetch(`http://127.0.0.1:${address.port}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ role: "user", content: "Who are you?" }], max_tokens: 6, seed: 1 }),
    });
    await server.close();
    expect(res.status).toBe(200);
    const body = await readJson(res);
    expect(body.usage.completion_tokens).toBeGreaterThan(0);
    expect(body.usage.completion_tokens).toBeLessThanOrEqual(6);
    expect(typeof body.choices[0].message.content).toBe("string");
  });

  it("names the missing folder or stage in a typed error", async () => {
    await expect(loadRun(join(runDir, "nope"))).rejects.toSatisfy(
      (e: unknown) => isLlmError(e, "FILE_NOT_FOUND") && e.message.includes("nope"),
    );
    await expect(loadRun(runDir, "rl")).rejects.toSatisfy(
      (e: unknown) => isLlmError(e, "FILE_NOT_FOUND") && e.message.includes("rl checkpoint"),
    );
  });
});

describe("lastFinishedStage", () => {
  const marker = (stage: string, status: string) =>
    JSON.stringify({ stage, hash: "h", status, startedAt: "2026-12-01T00:00:00Z" });
  async function runWith(checkpoints: string[], markers: Record<string, string> | undefined) {
    const dir = await mkdtemp(join(tmpdir(), "llm-chat-stages-"));
    for (const stage of checkpoints) {
      await mkdir(join(dir, stage), { recursive: true });
      await writeFile(join(dir, stage, "config.json"), "{}");
    }
    if (markers) {
      await mkdir(join(dir, "_stages"), { recursive: true });
      for (const [stage, status] of Object.entries(markers)) {
        await writeFile(join(dir, "_stages", `${stage}.json`), marker(stage, status));
      }
    }
    return dir;
  }

  it("picks rl, else sft, else base, as the pipeline's markers say they finished", async () => {
    const done = { data: "done", tokenizer: "done", pretrain: "done", sft: "done" };
    expect(lastFinishedStage(await runWith(["base", "sft", "rl"], { ...done, rl: "done" }))).toEqual({
      stage: "rl",
      by: "markers",
    });
    // rl started but not finished (its folder may hold a partial save): sft.
    expect(lastFinishedStage(await runWith(["base", "sft", "rl"], { ...done, rl: "started" })).stage).toBe(
      "sft",
    );
    expect(lastFinishedStage(await runWith(["base", "sft"], { ...done, sft: "started" })).stage).toBe("base");
    // A hand-made folder without markers: the best checkpoint there is.
    expect(lastFinishedStage(await runWith(["base", "sft"], undefined))).toEqual({
      stage: "sft",
      by: "checkpoints",
    });
    expect(() => lastFinishedStage(runDir.replace(/$/, "-none"))).toThrow(/no finished model stage/);
  });

  it("is what loadRun opens without a stage", async () => {
    const loaded = await loadRun(runDir);
    expect(loaded.info).toMatchObject({ stage: "sft", stageChosenBy: "the run's last finished stage" });
    await loaded.dispose();
  });
});

describe("the word-step guard", () => {
  it("follows the run's probes.wordStepGuard, off without one", async () => {
    expect(runWordStepGuard(runDir)).toBeUndefined();
    const guarded = await mkdtemp(join(tmpdir(), "llm-chat-step-guard-"));
    await writeFile(
      join(guarded, "config.json"),
      JSON.stringify({ preset: { probes: { wordStepGuard: "run" } } }),
    );
    expect(runWordStepGuard(guarded)).toBe("run");
    await writeFile(
      join(guarded, "config.json"),
      JSON.stringify({ preset: { probes: { wordStepGuard: "x" } } }),
    );
    expect(runWordStepGuard(guarded)).toBeUndefined();
    await writeFile(join(guarded, "config.json"), "{ not json");
    expect(runWordStepGuard(guarded)).toBeUndefined();
  });
});

describe("the copy guard", () => {
  it("follows the run's probes config (config.json) unless --copy-guard / --no-copy-guard choose", async () => {
    // no config.json (a hand-made folder): off
    expect(runCopyGuard(runDir)).toEqual({ copyGuard: false, by: "default" });
    const guarded = await mkdtemp(join(tmpdir(), "llm-chat-guard-"));
    const config = { preset: { probes: { copyGuard: true, copyGuardCalls: ["count"] } } };
    await writeFile(join(guarded, "config.json"), JSON.stringify(config));
    expect(runCopyGuard(guarded)).toEqual({
      copyGuard: true,
      copyGuardCalls: ["count"],
      by: "the run's probes config",
    });
    await writeFile(
      join(guarded, "config.json"),
      JSON.stringify({ preset: { probes: { copyGuard: false } } }),
    );
    expect(runCopyGuard(guarded).copyGuard).toBe(false);
    await writeFile(join(guarded, "config.json"), "{ torn");
    expect(runCopyGuard(guarded)).toEqual({ copyGuard: false, by: "default" });

    // loadRun reports what it chose; the run folder here has the checkpoint, config.json beside it
    await writeFile(join(runDir, "config.json"), JSON.stringify(config));
    const loaded = await loadRun(runDir, "sft");
    expect(loaded.info).toMatchObject({ copyGuard: "count", copyGuardBy: "the run's probes config" });
    await loaded.dispose();
    const off = await loadRun(runDir, "sft", { copyGuard: false });
    expect(off.info).toMatchObject({ copyGuard: "off", copyGuardBy: "--no-copy-guard" });
    await off.dispose();
    const every = await loadRun(runDir, "sft", { copyGuard: true });
    expect(every.info).toMatchObject({ copyGuard: "every call", copyGuardBy: "--copy-guard" });
    await every.dispose();
  });

  it("follows the run's number guards (probes.numberGuardCalls, probes.answerGuard) unless --no-copy-guard", async () => {
    const dir = await mkdtemp(join(tmpdir(), "llm-chat-number-guard-"));
    const probes = { numberGuardCalls: ["Math.max", "Math.min"], answerGuard: true };
    await writeFile(join(dir, "config.json"), JSON.stringify({ preset: { probes } }));
    expect(runCopyGuard(dir)).toEqual({ copyGuard: false, ...probes, by: "the run's probes config" });
    await writeFile(
      join(dir, "config.json"),
      JSON.stringify({ preset: { probes: { copyGuard: true, copyGuardCalls: ["count"], ...probes } } }),
    );
    expect(runCopyGuard(dir)).toEqual({
      copyGuard: true,
      copyGuardCalls: ["count"],
      ...probes,
      by: "the run's probes config",
    });

    await writeFile(join(runDir, "config.json"), JSON.stringify({ preset: { probes } }));
    const loaded = await loadRun(runDir, "sft");
    expect(loaded.info).toMatchObject({
      copyGuard: "off",
      numberGuard: "numbers in Math.max, Math.min; #### answer",
    });
    await loaded.dispose();
    const every = await loadRun(runDir, "sft", { copyGuard: true });
    expect(every.info).toMatchObject({
      copyGuard: "every call",
      numberGuard: "numbers in Math.max, Math.min; #### answer",
    });
    await every.dispose();
    const off = await loadRun(runDir, "sft", { copyGuard: false });
    expect(off.info).toMatchObject({ copyGuard: "off", numberGuard: "off" });
    await off.dispose();
  });
});

describe("the loop guard", () => {
  it("follows the run's probes.loopGuard unless --loop-guard / --no-loop-guard choose", async () => {
    const dir = await mkdtemp(join(tmpdir(), "llm-chat-loop-"));
    expect(runLoopGuard(dir)).toEqual({ loopGuard: false, by: "default" });
    await writeFile(join(dir, "config.json"), JSON.stringify({ preset: { probes: { loopGuard: true } } }));
    expect(runLoopGuard(dir)).toEqual({ loopGuard: true, by: "the run's probes config" });
    await writeFile(join(dir, "config.json"), "{ torn");
    expect(runLoopGuard(dir)).toEqual({ loopGuard: false, by: "default" });

    const config = { preset: { probes: { copyGuard: true, copyGuardCalls: ["count"], loopGuard: true } } };
    await writeFile(join(runDir, "config.json"), JSON.stringify(config));
    const loaded = await loadRun(runDir, "sft");
    expect(loaded.info).toMatchObject({
      copyGuard: "count",
      loopGuard: "on",
      loopGuardBy: "the run's probes config",
    });
    await loaded.dispose();
    const off = await loadRun(runDir, "sft", { loopGuard: false });
    expect(off.info).toMatchObject({ copyGuard: "count", loopGuard: "off", loopGuardBy: "--no-loop-guard" });
    await off.dispose();
    await writeFile(join(runDir, "config.json"), JSON.stringify({ preset: { probes: {} } }));
    const on = await loadRun(runDir, "sft", { loopGuard: true });
    expect(on.info).toMatchObject({ copyGuard: "off", loopGuard: "on", loopGuardBy: "--loop-guard" });
    await on.dispose();
  });
});

describe("the tool-call grammar", () => {
  it("follows the run's probes.toolGrammar unless --tool-grammar / --no-tool-grammar choose", async () => {
    const dir = await mkdtemp(join(tmpdir(), "llm-chat-grammar-"));
    expect(runToolGrammar(dir)).toEqual({ toolGrammar: false, by: "default" });
    await writeFile(join(dir, "config.json"), JSON.stringify({ preset: { probes: { toolGrammar: true } } }));
    expect(runToolGrammar(dir)).toEqual({ toolGrammar: true, by: "the run's probes config" });
    await writeFile(
      join(dir, "config.json"),
      JSON.stringify({ preset: { probes: { toolGrammar: ["count", "search"] } } }),
    );
    expect(runToolGrammar(dir)).toEqual({ toolGrammar: ["count", "search"], by: "the run's probes config" });
    await writeFile(join(dir, "config.json"), "{ torn");
    expect(runToolGrammar(dir)).toEqual({ toolGrammar: false, by: "default" });

    await writeFile(
      join(runDir, "config.json"),
      JSON.stringify({ preset: { probes: { toolGrammar: true } } }),
    );
    const loaded = await loadRun(runDir, "sft");
    expect(loaded.info).toMatchObject({
      toolGrammar: "the sandbox's tools",
      toolGrammarBy: "the run's probes config",
    });
    await loaded.dispose();
    const off = await loadRun(runDir, "sft", { toolGrammar: false });
    expect(off.info).toMatchObject({ toolGrammar: "off", toolGrammarBy: "--no-tool-grammar" });
    await off.dispose();
  });
});
