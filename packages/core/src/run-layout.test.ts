import { join, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";
import {
  CHECKPOINT_FILES,
  CHECKPOINT_WRITTEN_BY,
  checkpointPaths,
  RUN_CHECKPOINTS,
  RUN_LAYOUT,
  RUN_STAGES,
  runPaths,
  STAGE_OUTPUTS,
  TOKENIZER_FILES,
} from "./run-layout.js";

describe("runPaths", () => {
  const run = runPaths("runs/x");

  it("resolves the root and places every fixed entry under it", () => {
    expect(run.root).toBe(resolve("runs/x"));
    expect(run.config).toBe(join(run.root, "config.json"));
    expect(run.tokenizerJson).toBe(join(run.root, "tokenizer", "tokenizer.json"));
    expect(run.trainDocuments).toBe(join(run.root, "data", "train.jsonl"));
    expect(run.valDocuments).toBe(join(run.root, "data", "val.jsonl"));
    expect(run.shards).toBe(join(run.root, "data", "shards"));
    expect(run.knowledge).toBe(join(run.root, "data", "knowledge.json"));
    expect(run.probeResults).toBe(join(run.root, "probes", "results.json"));
    expect(run.reportMarkdown).toBe(join(run.root, "report.md"));
    for (const [entry, relative] of Object.entries(RUN_LAYOUT)) {
      expect(run[entry as keyof typeof RUN_LAYOUT]).toBe(join(run.root, ...relative.split("/")));
    }
  });

  it("builds the per-name paths", () => {
    expect(run.checkpoint("sft")).toBe(join(run.root, "sft"));
    expect(run.checkpointFiles("rl").model).toBe(join(run.root, "rl", "model.safetensors"));
    expect(run.metricsLog("base")).toBe(join(run.root, "metrics", "base.jsonl"));
    expect(run.marker("pretrain")).toBe(join(run.root, "_stages", "pretrain.json"));
    expect(run.evalSet("rl")).toBe(join(run.root, "eval", "rl.json"));
    expect(run.excludedDocuments("wiki")).toBe(join(run.root, "data", "excluded", "wiki.jsonl"));
    expect(run.path("data", "x.json")).toBe(join(run.root, "data", "x.json"));
  });

  it("keeps an absolute root as given", () => {
    const root = `${sep}tmp${sep}run`;
    expect(runPaths(root).root).toBe(resolve(root));
    expect(runPaths(root).config).toBe(join(resolve(root), "config.json"));
  });
});

describe("tokenizer folder", () => {
  it("holds TOKENIZER_FILES inside the run's tokenizer folder", () => {
    expect(RUN_LAYOUT.tokenizerJson).toBe(`${RUN_LAYOUT.tokenizer}/${TOKENIZER_FILES.json}`);
    expect(RUN_LAYOUT.tokenizerTiktoken).toBe(`${RUN_LAYOUT.tokenizer}/${TOKENIZER_FILES.tiktoken}`);
  });
});

describe("checkpointPaths", () => {
  it("names the four files of a checkpoint folder", () => {
    expect(checkpointPaths(join("a", "sft"))).toEqual({
      dir: join("a", "sft"),
      config: join("a", "sft", "config.json"),
      model: join("a", "sft", "model.safetensors"),
      optimizer: join("a", "sft", "optimizer.safetensors"),
      state: join("a", "sft", "state.json"),
    });
    expect(Object.values(CHECKPOINT_FILES).sort()).toEqual([
      "config.json",
      "model.safetensors",
      "optimizer.safetensors",
      "state.json",
    ]);
  });
});

describe("stages", () => {
  it("lists the stages in dependency order", () => {
    expect(RUN_STAGES).toEqual(["data", "tokenizer", "pretrain", "sft", "rl", "probes", "report"]);
  });

  it("gives every checkpoint folder, its metrics log and each eval set to the stage that writes it", () => {
    for (const checkpoint of RUN_CHECKPOINTS) {
      const owner = STAGE_OUTPUTS[CHECKPOINT_WRITTEN_BY[checkpoint]];
      expect(owner).toContain(checkpoint);
      expect(owner).toContain(`metrics/${checkpoint}.jsonl`);
    }
    expect(STAGE_OUTPUTS.sft).toContain("eval/sft.json");
    expect(STAGE_OUTPUTS.rl).toContain("eval/rl.json");
  });

  it("gives each output to exactly one stage, and covers every top-level entry but config and markers", () => {
    const all = Object.values(STAGE_OUTPUTS).flat();
    expect(new Set(all).size).toBe(all.length);
    const topLevel = new Set(all.map((path) => path.split("/")[0]));
    for (const relative of Object.values(RUN_LAYOUT)) {
      const top = relative.split("/")[0] as string;
      if (top === RUN_LAYOUT.config || top === RUN_LAYOUT.stages) continue;
      if (top === "metrics" || top === "eval") continue; // per-model files, checked above
      expect(topLevel).toContain(top);
    }
  });
});
