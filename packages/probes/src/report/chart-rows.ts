/**
 * chartRows: a chart's data as a table (one row per x value, one column per series), for the
 * markdown report and for the data table under each HTML chart. Reference: none.
 * Leaves out: interpolation between x values that only some series have (cells stay empty).
 */
import type { ChartSpec, ReportTable } from "./report-section.js";

export function chartRows(chart: ChartSpec): ReportTable {
  const xs: Array<string | number> = [];
  for (const series of chart.series) for (const p of series.data) if (!xs.includes(p.x)) xs.push(p.x);
  const cell = (y: number | undefined): string =>
    y === undefined
      ? ""
      : !Number.isFinite(y)
        ? "n/a"
        : chart.percent
          ? `${(y * 100).toFixed(1).replace(/\.0$/, "")}%`
          : String(Number(y.toFixed(4)));
  return {
    columns: [chart.xLabel ?? "", ...chart.series.map((s) => s.name)],
    rows: xs.map((x) => [x, ...chart.series.map((s) => cell(s.data.find((p) => p.x === x)?.y))]),
  };
}
