import { renderHtml, renderMarkdown } from "@llm/probes";
import { describe, expect, it } from "vitest";
import { dedupeSteps, type ReportCard } from "./report-card.js";
import { reportMeta, thin } from "./report-sections.js";

function card(): ReportCard {
  const steps = Array.from({ length: 100 }, (_, i) => ({
    stage: "pretrain",
    step: i + 1,
    totalSteps: 100,
    loss: 5 - i * 0.02,
    lr: 1e-3,
    tokensPerSecond: 1000,
    ...(i % 25 === 24 ? { valLoss: 5 - i * 0.02, valBpb: 2 - i * 0.005 } : {}),
  }));
  return {
    title: "Report card: test run",
    createdAt: "2026-01-01T00:00:00.000Z",
    run: {
      preset: "tiny",
      folder: "/tmp/x",
      backend: "wasm",
      node: "v20",
      platform: "linux x64",
      cpus: 2,
      versions: { "@llm/model": "0.1.0" },
      stageHashes: {},
    },
    timing: [
      { stage: "data", seconds: 3 },
      { stage: "pretrain", seconds: 70 },
    ],
    totalSeconds: 73,
    summaries: {
      data: {
        documentsIn: 10,
        documentsKept: 7,
        sources: [{ name: "moby-dick", documents: 10, kept: 7, dropped: 3, bytes: 1234 }],
        filters: [{ name: "c4", in: 10, kept: 7, dropped: 3 }],
        droppedByReason: { "c4.too_few_sentences": 2, "gopher_quality.short_doc": 1 },
      },
      tokenizer: {
        vocabSize: 512,
        bytesPerToken: { "ours-512": 2.1, gpt2: 4.2 },
        shards: { trainTokens: 999 },
      },
    },
    curves: { base: dedupeSteps([...steps, { ...steps[9]!, loss: 9 }]) },
    samples: [{ prompt: "Who are you?", outputs: { sft: "I am Tiny.", rl: "I am Tiny!" } }],
    probes: [
      {
        name: "identity",
        title: "Identity",
        metrics: { "sft.rate": 0.5 },
        examples: [],
        finding: "SFT answers half.",
      },
    ],
  };
}

describe("report sections", () => {
  it("keeps the last record of a repeated step (resumed runs log steps again)", () => {
    const points = card().curves.base!;
    expect(points).toHaveLength(100);
    expect(points[9]?.loss).toBe(9);
    expect(points.map((p) => p.step)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });

  it("thins long series and keeps the last point", () => {
    const data = Array.from({ length: 101 }, (_, i) => i);
    const out = thin(data, 10);
    expect(out.length).toBeLessThanOrEqual(12);
    expect(out.at(-1)).toBe(100);
    expect(thin([1, 2, 3], 10)).toEqual([1, 2, 3]);
  });

  it("renders every section through @llm/probes' renderers", () => {
    const meta = reportMeta(card(), 12);
    const titles = meta.sections?.map((s) => s.title) ?? [];
    expect(titles).toEqual([
      "Run",
      "Time per stage",
      "Dataset",
      "Dataset: sources",
      "Dataset: cleaning chain (per filter)",
      "Dataset: dropped documents by reason",
      "Tokenizer",
      "Tokenizer: bytes per token on the validation text",
      "Training",
      "Training: base loss",
      "Training: base bits per byte",
      "Samples for fixed prompts",
    ]);
    const loss = meta.sections?.find((s) => s.title === "Training: base loss");
    expect(loss?.chart?.series.map((s) => s.name)).toEqual(["train loss", "val loss"]);
    expect(loss?.chart?.series[0]?.data.length).toBeLessThanOrEqual(13);
    const md = renderMarkdown(card().probes, meta);
    expect(md).toContain("| c4.too_few_sentences | 2 |");
    expect(md).toContain("| total | 1m13s | 73.0 |");
    expect(md).toContain("SFT answers half.");
    const html = renderHtml(card().probes, reportMeta(card(), 400));
    expect(html).toContain("<canvas");
    expect(html).toContain("I am Tiny.");
  });

  const training = (pretrain: Record<string, unknown>) =>
    reportMeta({ ...card(), summaries: { ...card().summaries, pretrain } }, 12).sections?.find(
      (s) => s.title === "Training",
    )?.markdown;

  it("says whether the base model copies from its context", () => {
    expect(training({ firstCopyLoss: 4.8, secondCopyLoss: 2.1 })).toContain(
      "4.800 nats per token on the first copy, 2.100 on the second: it copies",
    );
    expect(training({ firstCopyLoss: 4.8, secondCopyLoss: 4.7 })).toContain("it does not copy yet");
    expect(training({ firstCopyLoss: 4.8, secondCopyLoss: 2.1, repeatedCopyLoss: 3.2 })).toContain(
      "2.100 on the second (3.200 where the previous token occurs more than once in the passage): it copies",
    );
    expect(training({})).not.toContain("copy");
  });

  it("reports the base model's fact recall", () => {
    expect(training({ factRecallTrain: 0.5, factRecallEval: 0.125 })).toContain(
      "50% of the entities SFT asks about, 13% of the held-out ones",
    );
    expect(training({})).not.toContain("Fact recall");
  });

  it("says how many pretraining rows the memorization passages took", () => {
    expect(
      training({ memorizationPassages: 48, memorizationCopies: 504, memorizationTokenShare: 0.04 }),
    ).toContain(
      "48 corpus passages written into 504 pretraining rows, each a set number of times (4% of the training tokens)",
    );
    expect(training({})).not.toContain("Memorization");
  });

  it("says what has not run yet", () => {
    const empty: ReportCard = { ...card(), summaries: {}, curves: {}, samples: [] };
    const md = renderMarkdown([], reportMeta(empty, 12));
    expect(md).toContain("The data stage has not run.");
    expect(md).toContain("No training has run.");
    expect(md).toContain("No samples.");
  });
});
