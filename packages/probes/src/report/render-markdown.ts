/**
 * renderMarkdown: a report as GitHub-flavoured markdown: title, a summary table of findings, the
 * caller's sections (dataset, tokenizer, training curves), then each probe with its claim,
 * finding, metrics, chart data as a table, token splits and example transcripts. Deterministic:
 * the same input gives the same text. Reference: nanochat's report.md. Leaves out: images (charts
 * appear as tables; the HTML report draws them).
 */
import type { ProbeResult, Transcript } from "@llm/core";
import { chartRows } from "./chart-rows.js";
import { formatMetric } from "./format-metric.js";
import type { ReportMeta, ReportSection, ReportTable } from "./report-section.js";

function cell(value: string | number): string {
  return String(value).replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

export function markdownTable(table: ReportTable): string {
  const header = `| ${table.columns.map(cell).join(" | ")} |`;
  const rule = `|${table.columns.map(() => "---").join("|")}|`;
  const rows = table.rows.map((row) => `| ${row.map(cell).join(" | ")} |`);
  return [header, rule, ...rows].join("\n");
}

function fence(text: string): string {
  let ticks = "```";
  while (text.includes(ticks)) ticks += "`";
  return `${ticks}text\n${text}\n${ticks}`;
}

function section(s: ReportSection): string {
  const parts = [`## ${s.title}`];
  if (s.markdown) parts.push(s.markdown.trim());
  if (s.table) parts.push(markdownTable(s.table));
  if (s.chart) parts.push(markdownTable(chartRows(s.chart)));
  return parts.join("\n\n");
}

function example(t: Transcript): string {
  const mark = t.correct === undefined ? "" : t.correct ? " ✓" : " ✗";
  return `**${t.model}**${mark}\n\n${fence(`> ${t.prompt}\n${t.output}`)}`;
}

interface SplitDetail {
  tokenizer: string;
  text: string;
  ids: number[];
  pieces: string[];
}

function probe(result: ProbeResult): string {
  const parts = [`## ${result.title}`];
  const claim = result.details?.claim;
  if (typeof claim === "string") parts.push(`*Claim:* ${claim}`);
  parts.push(`**Finding:** ${result.finding}`);
  const names = Object.keys(result.metrics);
  if (names.length > 0) {
    parts.push(
      markdownTable({
        columns: ["metric", "value"],
        rows: names.map((n) => [n, formatMetric(n, result.metrics[n]!)]),
      }),
    );
  }
  const splits = result.details?.splits as SplitDetail[] | undefined;
  if (Array.isArray(splits)) {
    parts.push(
      markdownTable({
        columns: ["tokenizer", "text", "tokens", "pieces"],
        rows: splits.map((s) => [
          s.tokenizer,
          s.text,
          s.ids.length,
          s.pieces.map((p) => `\`${p.replace(/`/g, "'")}\``).join(" "),
        ]),
      }),
    );
  } else if (result.details?.chart) {
    parts.push(markdownTable(chartRows(result.details.chart as never)));
  }
  if (result.examples.length > 0) parts.push(`### Examples\n\n${result.examples.map(example).join("\n\n")}`);
  return parts.join("\n\n");
}

export function renderMarkdown(results: readonly ProbeResult[], meta: ReportMeta): string {
  const parts = [`# ${meta.title}`];
  if (meta.subtitle) parts.push(meta.subtitle);
  if (results.length > 0) {
    parts.push(
      `## Findings\n\n${markdownTable({ columns: ["probe", "finding"], rows: results.map((r) => [r.title, r.finding]) })}`,
    );
  }
  for (const s of meta.sections ?? []) parts.push(section(s));
  for (const r of results) parts.push(probe(r));
  for (const s of meta.appendix ?? []) parts.push(section(s));
  return `${parts.join("\n\n")}\n`;
}
