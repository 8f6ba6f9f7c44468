/**
 * The shapes renderers draw: charts, tables and free sections. Probes attach a ChartSpec as
 * `details.chart` of their result; the pipeline's report card adds its own sections (dataset
 * stats, tokenizer stats, training curves). Reference: Chart.js's data model (labels + datasets),
 * flattened to points so line and bar charts share one type. Leaves out: styling options.
 */

/** One point of a series: a category (bar) or an x value (line) and its y value. */
export interface ChartPoint {
  x: string | number;
  y: number;
}

export interface ChartSeries {
  name: string;
  data: ChartPoint[];
}

export interface ChartSpec {
  type: "line" | "bar";
  /** Each series is one bar colour or one line. */
  series: ChartSeries[];
  /** Axis titles. */
  xLabel?: string;
  yLabel?: string;
  /** y values are fractions in [0, 1], shown as percentages. Default false. */
  percent?: boolean;
  /** Logarithmic y axis (loss curves). Default false. */
  logY?: boolean;
}

export interface ReportTable {
  columns: string[];
  rows: Array<Array<string | number>>;
}

/** A free section of a report: any of markdown text, a table and a chart, in that order. */
export interface ReportSection {
  title: string;
  markdown?: string;
  table?: ReportTable;
  chart?: ChartSpec;
}

/** What a report is about and what else it shows besides the probes. */
export interface ReportMeta {
  /** Page title, e.g. "Report card: tiny-run". */
  title: string;
  /** A line under the title (run name, preset, date). */
  subtitle?: string;
  /** Shown before the probe results. */
  sections?: ReportSection[];
  /** Shown after the probe results. */
  appendix?: ReportSection[];
}
