/**
 * formatMetric: how a metric value reads in a report. Names that say they are rates (accuracy,
 * rate, passAt) are fractions shown as percentages; other numbers keep up to three decimals.
 * NaN (nothing measured) reads "n/a". Reference: none. Leaves out: units.
 */

const RATE_NAME = /(accuracy|rate|passat\d*)$/i;

export function isRateMetric(name: string): boolean {
  const last = name.split(".").pop() ?? name;
  return RATE_NAME.test(last) || RATE_NAME.test(name.replace(/\.(en|zh|[a-z]{2})$/, ""));
}

export function formatMetric(name: string, value: number): string {
  if (!Number.isFinite(value)) return "n/a";
  if (isRateMetric(name)) return `${(value * 100).toFixed(1).replace(/\.0$/, "")}%`;
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toFixed(3)));
}
