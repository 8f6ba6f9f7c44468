import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runPaths } from "@llm/core";
import { openShardWriter, ShardBatchSource } from "@llm/data";
import { initBackend, saveCheckpoint } from "@llm/model";
import { factDocuments, generateKnowledgeBase } from "@llm/sft";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../run-cli.js";
import {
  byteBos as bos,
  byteTokenizer as tokenizer,
  trainFactModel,
} from "./__fixtures__/train-fact-model.js";
import { copyScore } from "./copy-score.js";
import { evaluateRun } from "./evaluate-run.js";
import { factRecall } from "./fact-recall.js";

const kb = generateKnowledgeBase({ seed: 6, count: 24 });
let run = "";

beforeAll(async () => {
  await initBackend("wasm");
  run = await mkdtemp(join(tmpdir(), "llm-probes-evaluate-"));
  const paths = runPaths(run);
  await mkdir(paths.tokenizer, { recursive: true });
  await tokenizer.save(paths.tokenizerJson);
  const model = await trainFactModel(kb, 20, 150);
  await saveCheckpoint(paths.checkpoint("base"), { model });
  model.dispose();
  await mkdir(paths.shards, { recursive: true });
  const writer = await openShardWriter(join(paths.shards, "val_000000.bin"));
  for (const doc of factDocuments(kb, { copies: 2, seed: 9 }))
    await writer.write([bos, ...tokenizer.encode(doc.text)]);
  await writer.close();
  await writeFile(paths.knowledge, JSON.stringify(kb));
  await writeFile(paths.config, JSON.stringify({ preset: { seed: 1, pretrain: { batchSize: 4 } } }));
}, 120_000);
afterAll(() => rm(run, { recursive: true, force: true }));

describe("evaluateRun", () => {
  it("gives a run's base model the numbers of copyScore and factRecall on the run's files", async () => {
    const result = await evaluateRun(run);
    const paths = runPaths(run);
    const { loadCheckpoint } = await import("@llm/model");
    const { model } = await loadCheckpoint(paths.checkpoint("base"));
    const source = await ShardBatchSource.open({
      shards: [join(paths.shards, "val_000000.bin")],
      batchSize: 4,
      seqLen: model.config.seqLen,
      valFraction: 0,
      shuffle: false,
    });
    try {
      expect(result.stage).toBe("base");
      expect(result.copyScore).toEqual(await copyScore(model, source, bos));
      expect(result.copyScore.passages).toBeGreaterThan(0);
      expect(result.factRecall).toEqual(await factRecall(model, tokenizer, kb, bos));
      // the model read the known names in its documents, never the unknown ones
      expect(result.nameFamiliarity?.entities).toBe(kb.entities.length);
      expect(result.nameFamiliarity!.known).toBeGreaterThan(result.nameFamiliarity!.unknown + 1);
    } finally {
      await source.close();
      model.dispose();
    }
  }, 120_000);

  it("runs as llm-probes evaluate, and names what a run lacks", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
    expect(await runCli(["evaluate", run, "--backend", "wasm", "--json"], io)).toBe(0);
    expect(JSON.parse(out.join("\n"))).toEqual(JSON.parse(JSON.stringify(await evaluateRun(run))));
    out.length = 0;
    expect(await runCli(["evaluate", run, "--backend", "wasm", "--batch-size", "2"], io)).toBe(0);
    expect(out[0]).toMatch(/^copy score \(base\): first copy \d+\.\d{3}, second copy \d+\.\d{3} nats\/token/);
    expect(out[1]).toMatch(/^fact recall: \d+% of \d+ known-train entities/);
    expect(out[2]).toMatch(/^name familiarity: /);
    await expect(evaluateRun(run, { stage: "rl" })).rejects.toMatchObject({ code: "FILE_NOT_FOUND" });
    await expect(evaluateRun(join(run, "missing"))).rejects.toMatchObject({ code: "FILE_NOT_FOUND" });
    expect(await runCli(["evaluate", run, "--stage", "final", "--backend", "wasm"], io)).toBe(2);
    expect(err.join("\n")).toContain("There is no checkpoint");
  }, 120_000);
});
