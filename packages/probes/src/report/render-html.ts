/**
 * renderHtml: a report as one self-contained HTML page: findings summary, the caller's sections,
 * then one card per probe (claim, finding, chart, metrics, token splits, examples). Charts are
 * drawn by Chart.js, whose bundle is inlined in a <script>, so the file opens offline with no
 * network; every chart also has its data as a table (readable without JavaScript).
 * Deterministic for a given input. Reference: nanochat's report card, Chart.js docs.
 * Leaves out: interactivity beyond Chart.js's tooltips; themes.
 */
import type { ProbeResult, Transcript } from "@llm/core";
import { chartLibrarySource } from "./chart-library.js";
import { chartRows } from "./chart-rows.js";
import { formatMetric } from "./format-metric.js";
import type { ChartSpec, ReportMeta, ReportSection, ReportTable } from "./report-section.js";

export interface RenderHtmlOptions {
  /** Inline Chart.js (true) or leave charts as tables only (false). Default true. */
  charts?: boolean;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

function table(t: ReportTable, className = ""): string {
  const head = t.columns.map((c) => `<th>${escapeHtml(String(c))}</th>`).join("");
  const rows = t.rows
    .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(String(c))}</td>`).join("")}</tr>`)
    .join("\n");
  return `<table${className ? ` class="${className}"` : ""}><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

/** Paragraphs and bullet lines from plain markdown-ish text (no HTML passes through). */
function prose(markdown: string): string {
  return markdown
    .trim()
    .split(/\n{2,}/)
    .map((block) => {
      const lines = block.split("\n");
      if (lines.every((l) => /^\s*[-*] /.test(l))) {
        return `<ul>${lines.map((l) => `<li>${escapeHtml(l.replace(/^\s*[-*] /, ""))}</li>`).join("")}</ul>`;
      }
      return `<p>${escapeHtml(block)}</p>`;
    })
    .join("\n");
}

class ChartCollector {
  readonly specs: ChartSpec[] = [];
  constructor(private readonly enabled: boolean) {}
  render(spec: ChartSpec): string {
    const data = `<details class="data"><summary>data</summary>${table(chartRows(spec))}</details>`;
    if (!this.enabled) return data;
    const id = this.specs.length;
    this.specs.push(spec);
    return `<div class="chart"><canvas id="chart-${id}" aria-label="chart ${id}"></canvas></div>${data}`;
  }
}

function section(s: ReportSection, charts: ChartCollector): string {
  const parts = [`<section class="card"><h2>${escapeHtml(s.title)}</h2>`];
  if (s.markdown) parts.push(prose(s.markdown));
  if (s.table) parts.push(table(s.table));
  if (s.chart) parts.push(charts.render(s.chart));
  parts.push("</section>");
  return parts.join("\n");
}

function example(t: Transcript): string {
  const verdict =
    t.correct === undefined ? "" : t.correct ? ' <span class="ok">✓</span>' : ' <span class="bad">✗</span>';
  return `<div class="example"><div class="who">${escapeHtml(t.model)}${verdict}</div><div class="prompt">${escapeHtml(t.prompt)}</div><pre>${escapeHtml(t.output)}</pre></div>`;
}

interface SplitDetail {
  tokenizer: string;
  text: string;
  ids: number[];
  pieces: string[];
}

function splits(list: SplitDetail[]): string {
  const rows = list
    .map(
      (s) =>
        `<tr><td>${escapeHtml(s.tokenizer)}</td><td>${escapeHtml(s.text)}</td><td>${s.ids.length}</td><td>${s.pieces
          .map((p, i) => `<span class="tok t${i % 4}">${escapeHtml(p)}</span>`)
          .join("")}</td></tr>`,
    )
    .join("\n");
  return `<table class="splits"><thead><tr><th>tokenizer</th><th>text</th><th>tokens</th><th>pieces</th></tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

function probe(result: ProbeResult, charts: ChartCollector): string {
  const skipped = typeof result.details?.skipped === "string";
  const parts = [`<section class="card${skipped ? " skipped" : ""}" id="probe-${escapeHtml(result.name)}">`];
  parts.push(`<h2>${escapeHtml(result.title)}</h2>`);
  const claim = result.details?.claim;
  if (typeof claim === "string") parts.push(`<p class="claim">Claim: ${escapeHtml(claim)}</p>`);
  parts.push(`<p class="finding">${escapeHtml(result.finding)}</p>`);
  const chart = result.details?.chart as ChartSpec | undefined;
  if (chart) parts.push(charts.render(chart));
  const names = Object.keys(result.metrics);
  if (names.length > 0) {
    parts.push(
      table(
        { columns: ["metric", "value"], rows: names.map((n) => [n, formatMetric(n, result.metrics[n]!)]) },
        "metrics",
      ),
    );
  }
  const list = result.details?.splits;
  if (Array.isArray(list)) parts.push(splits(list as SplitDetail[]));
  if (result.examples.length > 0) {
    parts.push(
      `<details class="examples"><summary>examples (${result.examples.length})</summary>${result.examples.map(example).join("\n")}</details>`,
    );
  }
  parts.push("</section>");
  return parts.join("\n");
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2430}
main{max-width:960px;margin:0 auto;padding:24px}
h1{margin:0 0 4px}.subtitle{color:#5b6472;margin:0 0 24px}
.card{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:16px 20px;margin:0 0 20px}
.card.skipped{opacity:.6}.card h2{margin:0 0 8px;font-size:19px}
.claim{color:#5b6472;font-style:italic;margin:4px 0}.finding{font-weight:600;margin:8px 0 12px}
table{border-collapse:collapse;margin:8px 0;font-size:13px}th,td{border:1px solid #dde1e7;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f0f2f5}.chart{position:relative;height:260px;margin:8px 0}
details{margin:6px 0}summary{cursor:pointer;color:#3b5bdb}
.example{border-left:3px solid #dde1e7;padding:4px 10px;margin:8px 0}.who{font-weight:600}.prompt{color:#5b6472}
pre{white-space:pre-wrap;word-break:break-word;background:#f6f7f9;padding:6px 8px;margin:4px 0;font-size:12.5px}
.ok{color:#2b8a3e}.bad{color:#c92a2a}
.tok{padding:1px 2px;border-radius:3px;white-space:pre;font-family:ui-monospace,monospace}
.t0{background:#d0ebff}.t1{background:#d3f9d8}.t2{background:#fff3bf}.t3{background:#ffd8e8}`;

/** Builds Chart.js configs from the embedded specs; runs in the browser. */
const CHART_BOOT = `(function(){
var specs=JSON.parse(document.getElementById("chart-specs").textContent);
var colors=["#4263eb","#f08c00","#2f9e44","#e03131","#7048e8","#1098ad","#d6336c","#5c940d"];
specs.forEach(function(spec,i){
var el=document.getElementById("chart-"+i);if(!el||typeof Chart==="undefined")return;
var xs=[];spec.series.forEach(function(s){s.data.forEach(function(p){if(xs.indexOf(p.x)<0)xs.push(p.x);});});
var numericX=spec.type==="line"&&xs.every(function(x){return typeof x==="number";});
var datasets=spec.series.map(function(s,j){var c=colors[j%colors.length];return{label:s.name,borderColor:c,backgroundColor:c,pointRadius:spec.type==="line"?0:3,
data:numericX?s.data.map(function(p){return{x:p.x,y:p.y};}):xs.map(function(x){var p=s.data.find(function(q){return q.x===x;});return p?p.y:null;})};});
var y={type:spec.logY?"logarithmic":"linear",title:{display:!!spec.yLabel,text:spec.yLabel||""}};
if(spec.percent){y.min=0;y.max=1;y.ticks={callback:function(v){return Math.round(v*100)+"%";}};}
new Chart(el,{type:spec.type,data:numericX?{datasets:datasets}:{labels:xs,datasets:datasets},
options:{responsive:true,maintainAspectRatio:false,animation:false,
scales:{x:{type:numericX?"linear":"category",title:{display:!!spec.xLabel,text:spec.xLabel||""}},y:y},
plugins:{tooltip:{callbacks:spec.percent?{label:function(c){return c.dataset.label+": "+(c.parsed.y*100).toFixed(1)+"%";}}:{}}}}});
});})();`;

export function renderHtml(
  results: readonly ProbeResult[],
  meta: ReportMeta,
  options: RenderHtmlOptions = {},
): string {
  const enabled = options.charts ?? true;
  const charts = new ChartCollector(enabled);
  const body: string[] = [`<h1>${escapeHtml(meta.title)}</h1>`];
  if (meta.subtitle) body.push(`<p class="subtitle">${escapeHtml(meta.subtitle)}</p>`);
  if (results.length > 0) {
    body.push(
      `<section class="card"><h2>Findings</h2>${table({ columns: ["probe", "finding"], rows: results.map((r) => [r.title, r.finding]) }, "summary")}</section>`,
    );
  }
  for (const s of meta.sections ?? []) body.push(section(s, charts));
  for (const r of results) body.push(probe(r, charts));
  for (const s of meta.appendix ?? []) body.push(section(s, charts));
  const scripts =
    enabled && charts.specs.length > 0
      ? [
          `<script type="application/json" id="chart-specs">${scriptJson(charts.specs)}</script>`,
          `<script id="chartjs">\n${chartLibrarySource().replace(/<\/script/gi, "<\\/script")}\n</script>`,
          `<script>\n${CHART_BOOT}\n</script>`,
        ]
      : [];
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(meta.title)}</title>`,
    `<style>\n${STYLE}\n</style>`,
    "</head>",
    "<body>",
    "<main>",
    ...body,
    "</main>",
    ...scripts,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
