/**
 * Per-filter statistics of a cleaning run (documents in, kept, dropped by rule, modified,
 * bytes in and kept, time), their merge across ranks, and the summary table the CLI prints.
 * Reference: datatrove's stats.json and its end-of-run table. Leaves out: histograms.
 */

export interface FilterStats {
  name: string;
  in: number;
  kept: number;
  dropped: number;
  /** Kept documents whose text the filter rewrote (HTML extraction, C4 lines, PII). */
  modified: number;
  droppedByRule: Record<string, number>;
  bytesIn: number;
  bytesKept: number;
  seconds: number;
}

export interface CleaningStats {
  /** Documents read from the sources. */
  documentsIn: number;
  documentsKept: number;
  bytesIn: number;
  bytesKept: number;
  /** Inputs the sources could not read, by rule ("invalid_utf8", "malformed_json", ...). */
  sourceIssues: Record<string, number>;
  filters: FilterStats[];
}

export function emptyStats(filterNames: readonly string[]): CleaningStats {
  return {
    documentsIn: 0,
    documentsKept: 0,
    bytesIn: 0,
    bytesKept: 0,
    sourceIssues: {},
    filters: filterNames.map((name) => ({
      name,
      in: 0,
      kept: 0,
      dropped: 0,
      modified: 0,
      droppedByRule: {},
      bytesIn: 0,
      bytesKept: 0,
      seconds: 0,
    })),
  };
}

/** Adds `b` into `a` (same filter order), e.g. to combine ranks. */
export function mergeStats(a: CleaningStats, b: CleaningStats): CleaningStats {
  const out: CleaningStats = {
    documentsIn: a.documentsIn + b.documentsIn,
    documentsKept: a.documentsKept + b.documentsKept,
    bytesIn: a.bytesIn + b.bytesIn,
    bytesKept: a.bytesKept + b.bytesKept,
    sourceIssues: addCounts(a.sourceIssues, b.sourceIssues),
    filters: [],
  };
  const names = [...a.filters.map((f) => f.name), ...b.filters.map((f) => f.name)];
  for (const name of [...new Set(names)]) {
    const x = a.filters.find((f) => f.name === name);
    const y = b.filters.find((f) => f.name === name);
    const base = emptyStats([name]).filters[0] as FilterStats;
    const [p, q] = [x ?? base, y ?? base];
    out.filters.push({
      name,
      in: p.in + q.in,
      kept: p.kept + q.kept,
      dropped: p.dropped + q.dropped,
      modified: p.modified + q.modified,
      droppedByRule: addCounts(p.droppedByRule, q.droppedByRule),
      bytesIn: p.bytesIn + q.bytesIn,
      bytesKept: p.bytesKept + q.bytesKept,
      seconds: p.seconds + q.seconds,
    });
  }
  return out;
}

function addCounts(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}

export interface SummaryRow {
  filter: string;
  in: number;
  kept: number;
  dropped: number;
  droppedPercent: number;
  modified: number;
  topRules: string;
  seconds: number;
}

/** One row per filter, in chain order. */
export function summaryRows(stats: CleaningStats): SummaryRow[] {
  return stats.filters.map((f) => ({
    filter: f.name,
    in: f.in,
    kept: f.kept,
    dropped: f.dropped,
    droppedPercent: f.in === 0 ? 0 : Math.round((1000 * f.dropped) / f.in) / 10,
    modified: f.modified,
    topRules: Object.entries(f.droppedByRule)
      .sort((x, y) => y[1] - x[1])
      .slice(0, 3)
      .map(([rule, n]) => `${rule} ${n}`)
      .join(", "),
    seconds: Math.round(f.seconds * 100) / 100,
  }));
}

/** The summary as a fixed-width text table. */
export function formatSummaryTable(stats: CleaningStats): string {
  const header = ["filter", "in", "kept", "dropped", "drop %", "modified", "s", "top rules"];
  const rows = summaryRows(stats).map((r) => [
    r.filter,
    String(r.in),
    String(r.kept),
    String(r.dropped),
    r.droppedPercent.toFixed(1),
    String(r.modified),
    r.seconds.toFixed(2),
    r.topRules,
  ]);
  const issues = Object.entries(stats.sourceIssues);
  const footer = [
    `documents: ${stats.documentsIn} in, ${stats.documentsKept} kept (${stats.bytesIn} -> ${stats.bytesKept} bytes)`,
    ...(issues.length > 0 ? [`source issues: ${issues.map(([k, v]) => `${k} ${v}`).join(", ")}`] : []),
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) =>
        i === 0 || i === cells.length - 1 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number),
      )
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line), ...footer].join("\n");
}
