/**
 * Turns the report card (report-card.ts) into the sections of @llm/probes' report renderers:
 * template and natural-phrasing scores side by side, run, time per stage, dataset, tokenizer, training (tables and loss / bits-per-byte / reward
 * charts) and samples; the probe results follow them. Curves are thinned to `maxPoints` per
 * series (the markdown report shows chart data as tables, so it asks for few points).
 * Reference: nanochat's report.md. Leaves out: comparisons across runs.
 */
import {
  type ChartPoint,
  type ChartSpec,
  formatPercent,
  naturalComparisonTable,
  type ReportMeta,
  type ReportSection,
} from "@llm/probes";
import { formatDuration } from "../progress-display.js";
import type { CurvePoint, ReportCard } from "./report-card.js";

type Cell = string | number;

function fmt(value: unknown): string {
  if (typeof value === "number") {
    if (Number.isInteger(value)) return value.toLocaleString("en-US");
    return Math.abs(value) >= 100 ? value.toFixed(1) : value.toFixed(3);
  }
  if (value === undefined || value === null) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function list(value: unknown): Array<Record<string, unknown>> {
  return Array.isArray(value) ? (value as Array<Record<string, unknown>>) : [];
}

/** Key/value rows for the scalar fields of a summary. */
function scalarRows(summary: Record<string, unknown> | undefined): Cell[][] {
  return Object.entries(summary ?? {})
    .filter(([, v]) => v === null || typeof v !== "object")
    .map(([k, v]) => [k, fmt(v)]);
}

/** Every n-th point so that at most maxPoints remain, always keeping the last. */
export function thin<T>(points: readonly T[], maxPoints: number): T[] {
  if (points.length <= maxPoints) return [...points];
  const stride = Math.ceil(points.length / maxPoints);
  const out = points.filter((_, i) => i % stride === 0);
  const last = points[points.length - 1] as T;
  if (out[out.length - 1] !== last) out.push(last);
  return out;
}

function series(
  name: string,
  points: readonly CurvePoint[],
  pick: (p: CurvePoint) => number | undefined,
  maxPoints: number,
) {
  const data: ChartPoint[] = [];
  for (const p of points) {
    const y = pick(p);
    if (y !== undefined && Number.isFinite(y)) data.push({ x: p.step, y });
  }
  return { name, data: thin(data, maxPoints) };
}

function lastOf(
  points: readonly CurvePoint[],
  pick: (p: CurvePoint) => number | undefined,
): number | undefined {
  for (let i = points.length - 1; i >= 0; i--) {
    const v = pick(points[i] as CurvePoint);
    if (v !== undefined) return v;
  }
  return undefined;
}

function datasetSections(card: ReportCard): ReportSection[] {
  const data = card.summaries.data;
  if (!data) return [{ title: "Dataset", markdown: "The data stage has not run." }];
  const sections: ReportSection[] = [
    { title: "Dataset", table: { columns: ["", "value"], rows: scalarRows(data) } },
  ];
  const sources = list(data.sources);
  if (sources.length > 0) {
    sections.push({
      title: "Dataset: sources",
      table: {
        columns: ["source", "documents in", "kept", "dropped", "bytes kept"],
        rows: sources.map((s) => [fmt(s.name), fmt(s.documents), fmt(s.kept), fmt(s.dropped), fmt(s.bytes)]),
      },
    });
  }
  const filters = list(data.filters);
  if (filters.length > 0) {
    sections.push({
      title: "Dataset: cleaning chain (per filter)",
      table: {
        columns: ["filter", "in", "kept", "dropped"],
        rows: filters.map((f) => [fmt(f.name), fmt(f.in), fmt(f.kept), fmt(f.dropped)]),
      },
    });
  }
  const reasons = Object.entries(record(data.droppedByReason) ?? {}).sort(
    (a, b) => Number(b[1]) - Number(a[1]),
  );
  if (reasons.length > 0) {
    sections.push({
      title: "Dataset: dropped documents by reason",
      markdown: "Every dropped document is listed with its reason in data/excluded/*.jsonl.",
      table: { columns: ["filter.rule", "documents"], rows: reasons.map(([k, v]) => [k, fmt(v)]) },
    });
  }
  return sections;
}

function tokenizerSections(card: ReportCard): ReportSection[] {
  const tok = card.summaries.tokenizer;
  if (!tok) return [{ title: "Tokenizer", markdown: "The tokenizer stage has not run." }];
  const rows = [...scalarRows(tok), ...scalarRows(record(tok.shards))];
  const bpt = Object.entries(record(tok.bytesPerToken) ?? {}) as Array<[string, number]>;
  const sections: ReportSection[] = [{ title: "Tokenizer", table: { columns: ["", "value"], rows } }];
  if (bpt.length > 0) {
    sections.push({
      title: "Tokenizer: bytes per token on the validation text",
      markdown:
        "More bytes per token means the tokenizer packs more text into each token (a larger vocabulary usually does).",
      // No separate table: report.md writes the chart's values as a table already.
      chart: {
        type: "bar",
        yLabel: "bytes per token",
        series: [{ name: "bytes per token", data: bpt.map(([k, v]) => ({ x: k, y: v })) }],
      },
    });
  }
  return sections;
}

function trainingSections(card: ReportCard, maxPoints: number): ReportSection[] {
  const entries = Object.entries(card.curves);
  if (entries.length === 0) return [{ title: "Training", markdown: "No training has run." }];
  const rows: Cell[][] = entries.map(([name, points]) => {
    const tps = points.filter((p) => p.tokensPerSecond !== undefined);
    const meanTps = tps.length
      ? tps.reduce((s, p) => s + (p.tokensPerSecond ?? 0), 0) / tps.length
      : undefined;
    return [
      name,
      fmt(points.at(-1)?.step),
      fmt(points[0]?.loss),
      fmt(points.at(-1)?.loss),
      fmt(lastOf(points, (p) => p.valLoss)),
      fmt(lastOf(points, (p) => p.valBpb)),
      meanTps === undefined ? "" : fmt(Math.round(meanTps)),
    ];
  });
  const pretrain = card.summaries.pretrain;
  const first = pretrain?.firstCopyLoss;
  const second = pretrain?.secondCopyLoss;
  const repeated = pretrain?.repeatedCopyLoss;
  const whichOccurrence =
    typeof repeated === "number" && Number.isFinite(repeated)
      ? ` (${fmt(repeated)} where the previous token occurs more than once in the passage)`
      : "";
  const copying =
    typeof first === "number" &&
    typeof second === "number" &&
    Number.isFinite(first) &&
    Number.isFinite(second)
      ? ` In-context copying of the base model (validation passages written twice): ${fmt(first)} nats per token on the first copy, ${fmt(second)} on the second${whichOccurrence}${second < first - 0.5 ? ": it copies" : ": it does not copy yet"}.`
      : "";
  const recallTrain = pretrain?.factRecallTrain;
  const recallEval = pretrain?.factRecallEval;
  const recall =
    typeof recallTrain === "number" && typeof recallEval === "number"
      ? ` Fact recall of the base model (greedy completion of a known entity's key fact from its sentence start): ${formatPercent(recallTrain)} of the entities SFT asks about, ${formatPercent(recallEval)} of the held-out ones the knowledge probe asks about.`
      : "";
  const passages = pretrain?.memorizationPassages;
  const copies = pretrain?.memorizationCopies;
  const share = pretrain?.memorizationTokenShare;
  const memorization =
    typeof passages === "number" && typeof copies === "number" && typeof share === "number" && passages > 0
      ? ` Memorization passages (data.memorization): ${fmt(passages)} corpus passages written into ${fmt(copies)} pretraining rows, each a set number of times (${formatPercent(share)} of the training tokens), and held-out passages of the same sources never; the repeater probe below draws how often each comes back verbatim.`
      : "";
  const sections: ReportSection[] = [
    {
      title: "Training",
      markdown: `Loss is mean cross-entropy in nats per token; bits per byte divides it by ln 2 and the bytes each token stands for, so it compares across tokenizers.${copying}${recall}${memorization}`,
      table: {
        columns: ["model", "steps", "first loss", "last loss", "val loss", "val bits/byte", "tokens/s"],
        rows,
      },
    },
  ];
  for (const [name, points] of entries) {
    const lossSeries = [series("train loss", points, (p) => p.loss, maxPoints)];
    const val = series("val loss", points, (p) => p.valLoss, maxPoints);
    if (val.data.length > 0) lossSeries.push(val);
    const loss: ChartSpec = { type: "line", xLabel: "step", yLabel: "loss (nats/token)", series: lossSeries };
    sections.push({ title: `Training: ${name} loss`, chart: loss });
    const bpb = series("val bits per byte", points, (p) => p.valBpb, maxPoints);
    if (bpb.data.length > 0) {
      sections.push({
        title: `Training: ${name} bits per byte`,
        chart: { type: "line", xLabel: "step", yLabel: "bits per byte", series: [bpb] },
      });
    }
    const reward = series("mean reward", points, (p) => p.metrics?.reward, maxPoints);
    if (reward.data.length > 0) {
      sections.push({
        title: `Training: ${name} reward`,
        chart: { type: "line", xLabel: "step", yLabel: "reward", series: [reward] },
      });
    }
  }
  return sections;
}

function sampleSection(card: ReportCard): ReportSection {
  const rows: Cell[][] = [];
  for (const s of card.samples)
    for (const [model, output] of Object.entries(s.outputs)) rows.push([s.prompt, model, output]);
  if (rows.length === 0) return { title: "Samples for fixed prompts", markdown: "No samples." };
  return {
    title: "Samples for fixed prompts",
    markdown:
      "Greedy answers of each model to the preset's fixed prompts (the base model continues the text).",
    table: { columns: ["prompt", "model", "output"], rows },
  };
}

/**
 * Every probe's headline scores on its template questions (the SFT generators' wording, held-out
 * values) and in natural phrasing (@llm/probes' eval sets, written apart from the generators),
 * when the probes stage asked both (probes.natural).
 */
export function phrasingSection(card: ReportCard): ReportSection[] {
  if (!card.probes.some((p) => Object.keys(p.metrics).some((k) => k.startsWith("natural.")))) return [];
  return [
    {
      title: "Template questions and natural phrasing",
      markdown:
        "Each probe's headline score on its template questions (the SFT generators' wording with held-out values) and on questions in the learner's own words (@llm/probes' natural-phrasing sets, written apart from the generators and never trained on), of the latest model stage asked.",
      table: naturalComparisonTable(card.probes),
    },
  ];
}

/** The report meta (title, subtitle, sections) for @llm/probes' renderMarkdown / renderHtml. */
export function reportMeta(card: ReportCard, maxPoints: number): ReportMeta {
  const runRows: Cell[][] = [
    ["preset", card.run.preset],
    ["run folder", card.run.folder],
    ["backend", card.run.backend],
    ["node", card.run.node],
    ["platform", `${card.run.platform}, ${card.run.cpus} CPUs`],
    ["total time", formatDuration(card.totalSeconds)],
    ["created", card.createdAt],
    ...Object.entries(card.run.versions).map(([k, v]): Cell[] => [k, v]),
  ];
  const timingRows: Cell[][] = card.timing.map((t) => [
    t.stage,
    formatDuration(t.seconds),
    t.seconds.toFixed(1),
  ]);
  timingRows.push(["total", formatDuration(card.totalSeconds), card.totalSeconds.toFixed(1)]);
  return {
    title: card.title,
    subtitle: `preset ${card.run.preset}, backend ${card.run.backend}, ${formatDuration(card.totalSeconds)} in all, ${card.createdAt}`,
    sections: [
      ...phrasingSection(card),
      { title: "Run", table: { columns: ["", "value"], rows: runRows } },
      { title: "Time per stage", table: { columns: ["stage", "time", "seconds"], rows: timingRows } },
      ...datasetSections(card),
      ...tokenizerSections(card),
      ...trainingSections(card, maxPoints),
      sampleSection(card),
    ],
  };
}
