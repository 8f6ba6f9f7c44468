import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GPT, initBackend, saveCheckpoint } from "@llm/model";
import { trainBpe } from "@llm/tokenizer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProbes } from "./all-probes.js";
import { ContinuationEngine } from "./continuation-engine.js";
import { loadProbeContext } from "./load-probe-context.js";
import { runCli } from "./run-cli.js";
import { runProbes } from "./run-probes.js";

const text =
  "The river runs past the old mill and the children play by the water while the miller counts his sacks of flour. ";

let run: string;

beforeAll(async () => {
  await initBackend("wasm");
  run = await mkdtemp(join(tmpdir(), "llm-probes-run-"));
  const tokenizer = await trainBpe(text.repeat(20), { vocabSize: 256 + 9 + 40 });
  await mkdir(join(run, "tokenizer"), { recursive: true });
  await tokenizer.save(join(run, "tokenizer", "tokenizer.json"));
  for (const [folder, seed] of [
    ["base", 1],
    ["sft", 2],
  ] as const) {
    const model = new GPT(
      { vocabSize: tokenizer.vocabSize, depth: 1, nEmbd: 32, nHead: 2, seqLen: 128 },
      { seed },
    );
    await saveCheckpoint(join(run, folder), { model, state: { step: 0 } });
    model.dispose();
  }
  await writeFile(
    join(run, "config.json"),
    JSON.stringify({ seed: 3, sft: { identity: { name: "Pebble" } } }),
  );
  await mkdir(join(run, "data"), { recursive: true });
  const docs = [0, 1, 2].map((i) => JSON.stringify({ id: String(i), text: `${i} ${text.repeat(4)}` }));
  await writeFile(join(run, "data", "train.jsonl"), `${docs.join("\n")}\n`);
  await writeFile(
    join(run, "data", "val.jsonl"),
    `${JSON.stringify({ id: "v", text: text.toUpperCase().repeat(4) })}\n`,
  );
});

afterAll(async () => {
  await rm(run, { recursive: true, force: true });
});

describe("loadProbeContext on a run folder with real (untrained) checkpoints", () => {
  it("loads the tokenizer, models, generator and inputs, and runs probes on them", async () => {
    const loaded = await loadProbeContext(run, { itemsPerProbe: 2, passageChars: 300, tools: false });
    try {
      expect(loaded.models).toEqual(["base", "sft"]);
      const { context } = loaded;
      expect(Object.keys(context.engines)).toEqual(["base", "sft"]);
      expect(context.engines.base).toBeInstanceOf(ContinuationEngine);
      expect(context.seed).toBe(3);
      expect(context.inputs?.identity).toEqual({ name: "Pebble" });
      const repeater = context.inputs?.["base-model-as-repeater"] as {
        trainingText: string[];
        heldOutText: string[];
      };
      expect(repeater.trainingText).toHaveLength(2);
      expect(repeater.heldOutText).toHaveLength(1);
      const results = await runProbes(
        context,
        createProbes(
          {
            identity: { maxTokens: 4 },
            "base-model-as-repeater": { prefixTokens: 8, continuationTokens: 4, maxExamples: 1 },
          },
          ["identity", "base-model-as-repeater", "rl-gain"],
        ),
      );
      // An untrained model never names itself; the repeater ran on real generation; no RL stage.
      expect(results[0]!.metrics["sft.identityRate"]).toBe(0);
      expect(results[1]!.metrics["train.passages"]).toBe(2);
      expect(results[1]!.metrics["train.meanMatchedTokens"]).toBeGreaterThanOrEqual(0);
      expect(results[2]!.details?.skipped).toMatch(/lacks the SFT or the RL model/);
    } finally {
      await loaded.dispose();
    }
  });

  it("gives the repeater the passages of data/memorization.json, per times seen, when the run has it", async () => {
    const path = join(run, "data", "memorization.json");
    const memorization = {
      passageTokens: 12,
      groups: [
        { repeats: 1, texts: [text] },
        { repeats: 4, texts: [text.toUpperCase(), text] },
      ],
      heldOut: [text.toLowerCase()],
    };
    await writeFile(path, JSON.stringify(memorization));
    const loaded = await loadProbeContext(run, { itemsPerProbe: 2, tools: false });
    try {
      expect(loaded.context.inputs?.["base-model-as-repeater"]).toEqual({
        repeated: memorization.groups,
        heldOutText: memorization.heldOut,
      });
      const [result] = await runProbes(
        loaded.context,
        createProbes({ "base-model-as-repeater": { prefixTokens: 8, continuationTokens: 4 } }, [
          "base-model-as-repeater",
        ]),
      );
      expect(result!.metrics["seen4.passages"]).toBe(2);
      expect(result!.metrics["seen1.passages"]).toBe(1);
      expect(result!.metrics["heldOut.passages"]).toBe(1);
      expect(result!.finding).toMatch(/held-out passages, .* seen once, .* seen 4 times/);
    } finally {
      await rm(path);
    }
  });

  it("the CLI runs named probes on the run and writes results and reports", async () => {
    const lines: string[] = [];
    const io = { out: (t: string) => lines.push(t), err: () => undefined };
    const out = join(run, "probes", "results.json");
    const code = await runCli(
      [
        "run",
        run,
        "--probes",
        "identity",
        "--max-tokens",
        "3",
        "--no-tools",
        "--out",
        out,
        "--html",
        join(run, "report.html"),
      ],
      io,
    );
    expect(code).toBe(0);
    expect(lines).toContain(`wrote ${out}`);
    expect(lines.some((l) => l.startsWith("identity: SFT answers 0% of held-out"))).toBe(true);
  });

  it("fails clearly on a folder that is not a run", async () => {
    await expect(loadProbeContext(join(run, "nope"))).rejects.toMatchObject({ code: "FILE_NOT_FOUND" });
    await expect(loadProbeContext(join(run, "data"))).rejects.toMatchObject({ code: "FILE_NOT_FOUND" });
  });
});
