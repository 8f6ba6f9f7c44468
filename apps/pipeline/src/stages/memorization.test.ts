import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repeatedPassageDocuments } from "@llm/data";
import { CorpusSearch, readRunSearchDocuments } from "@llm/engine";
import { trainBpe } from "@llm/tokenizer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDocumentsJsonl } from "../documents-jsonl.js";
import type { PipelineConfig } from "../pipeline-config.js";
import { tiny } from "../presets/tiny.js";
import { RunDir } from "../run-dir.js";
import type { StageContext } from "../run-pipeline.js";
import { dataStage } from "./data-stage.js";
import { letterWords } from "./letter-words.js";
import { loadKnowledgeBase } from "./load-knowledge-base.js";
import { type MemorizationFile, readMemorizationFile } from "./memorization-file.js";
import { sftMixture } from "./sft-data.js";
import { tokenizerSample } from "./tokenizer-stage.js";

const config: PipelineConfig = {
  ...tiny,
  data: {
    ...tiny.data,
    memorization: {
      ...(tiny.data.memorization as NonNullable<PipelineConfig["data"]["memorization"]>),
      repeats: [1, 4, 16],
    },
  },
};
let root = "";
let run: RunDir;
let file: MemorizationFile;
let summary: Record<string, unknown>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "memorization-"));
  run = new RunDir(root);
  const context = {
    config,
    run,
    stage: "data",
    action: "fresh",
    signal: new AbortController().signal,
    listeners: {},
  } as unknown as StageContext;
  summary = await dataStage(context);
  file = (await readMemorizationFile(run)) as MemorizationFile;
}, 120_000);
afterAll(() => rm(root, { recursive: true, force: true }));

/** Every text a passage could leak into, with a name for the failure message. */
async function texts(path: string): Promise<string[]> {
  const out: string[] = [];
  for await (const doc of readDocumentsJsonl(path)) out.push(doc.text);
  return out;
}

describe("memorization passages of the data stage (tiny preset, repeats 1, 4, 16)", () => {
  it("writes the groups and held-out passages, from the configured prose sources", () => {
    const m = config.data.memorization!;
    expect(file.passageTokens).toBe(48);
    expect(file.groups.map((g) => [g.repeats, g.texts.length])).toEqual([
      [1, m.passagesPerCount],
      [4, m.passagesPerCount],
      [16, m.passagesPerCount],
    ]);
    expect(file.heldOut).toHaveLength(m.heldOutPassages);
    const all = [...file.heldOut, ...file.groups.flatMap((g) => g.texts)];
    expect(new Set(all).size).toBe(all.length);
    for (const p of all) expect(p.length).toBeGreaterThanOrEqual(m.passageChars);
    expect(summary.memorizationPassages).toBe(3 * m.passagesPerCount);
  });

  it("keeps every passage out of train.jsonl, the BPE sample and the SFT data; only the groups reach pretraining", async () => {
    const heads = [...file.heldOut, ...file.groups.flatMap((g) => g.texts)].flatMap((p) => [
      p.slice(0, 40),
      p.slice(-40),
    ]);
    const leaks = (corpus: readonly string[]) => heads.filter((h) => corpus.some((t) => t.includes(h)));
    const train = await texts(run.paths.trainDocuments);
    expect(train.length).toBeGreaterThan(100);
    expect(leaks(train)).toEqual([]);
    const sample: string[] = [];
    for await (const text of tokenizerSample(run.paths.trainDocuments)) sample.push(text);
    expect(leaks(sample)).toEqual([]);
    // SFT: every conversation of both variants, with the search over the run's corpus
    const kb = await loadKnowledgeBase(run);
    const words = await letterWords(run, config);
    const search = new CorpusSearch(await readRunSearchDocuments(root));
    for (const form of ["steps-first", "answer-first"] as const) {
      const data = sftMixture(config, kb, form, words, (q) => search.search(q));
      const messages = [...data.train, ...data.val].flatMap((c) =>
        c.messages.flatMap((m) => [m.content, ...(m.toolCalls ?? []).map((t) => t.code)]),
      );
      expect(messages.length).toBeGreaterThan(50);
      expect(leaks(messages)).toEqual([]);
    }
    // pretraining's repeated rows hold the groups' passages, the held-out ones never
    const tokenizer = await trainBpe(sample, { vocabSize: 300 });
    const repeated = repeatedPassageDocuments(file, tokenizer);
    expect(repeated.map((d) => d.repeats)).toEqual(file.groups.flatMap((g) => g.texts.map(() => g.repeats)));
    const heldOutIds = file.heldOut.map((t) => tokenizer.encode(t).slice(0, 48).join(","));
    for (const d of repeated) {
      expect(d.ids).toHaveLength(48);
      expect(heldOutIds).not.toContain(d.ids.join(","));
    }
  });

  it("is deterministic for a seed", async () => {
    const again = await mkdtemp(join(tmpdir(), "memorization-again-"));
    try {
      const context = {
        config,
        run: new RunDir(again),
        stage: "data",
        action: "fresh",
        signal: new AbortController().signal,
        listeners: {},
      } as unknown as StageContext;
      await dataStage(context);
      expect(await readFile(join(again, "data", "memorization.json"), "utf8")).toBe(
        await readFile(run.paths.memorization, "utf8"),
      );
    } finally {
      await rm(again, { recursive: true, force: true });
    }
  }, 120_000);
});
