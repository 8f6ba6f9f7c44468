import type { ProbeResult } from "@llm/core";
import { beforeAll, describe, expect, it } from "vitest";
import { createProbes } from "../all-probes.js";
import { runProbes } from "../run-probes.js";
import { createScriptedProbeContext } from "../testing/index.js";
import { renderHtml } from "./render-html.js";
import { renderMarkdown } from "./render-markdown.js";
import type { ReportMeta } from "./report-section.js";

const meta: ReportMeta = {
  title: "Report card: scripted-run",
  subtitle: "Scripted models standing in for a tiny run (seed 0).",
  sections: [
    {
      title: "Dataset",
      markdown: "Documents kept after cleaning.\n\n- kept: 120\n- dropped: 30",
      table: {
        columns: ["filter", "dropped"],
        rows: [
          ["gopher-quality", 21],
          ["c4 <lines>", 9],
        ],
      },
    },
    {
      title: "Training curves",
      chart: {
        type: "line",
        xLabel: "step",
        yLabel: "loss",
        series: [
          { name: "train", data: [1, 2, 3, 4].map((x) => ({ x, y: 5 / x })) },
          { name: "val", data: [2, 4].map((x) => ({ x, y: 5.5 / x })) },
        ],
      },
    },
  ],
  appendix: [{ title: "Notes", markdown: "Rendered by a test <not HTML>." }],
};

let results: ProbeResult[];
beforeAll(async () => {
  results = await runProbes(
    await createScriptedProbeContext(),
    createProbes({ "tokens-not-words": { references: ["gpt2"] } }),
  );
});

/** Replaces the inlined Chart.js bundle (200 kB, versioned) with a marker for snapshots. */
function withoutLibrary(html: string): string {
  return html.replace(
    /<script id="chartjs">[\s\S]*?<\/script>/,
    '<script id="chartjs">/* chart.js */</script>',
  );
}

describe("renderers", () => {
  it("markdown report matches its snapshot", async () => {
    const markdown = renderMarkdown(results, meta);
    expect(markdown).toContain("| With the tool, SFT counts letters correctly 100% of the time vs");
    expect(markdown).toContain("| gopher-quality | 21 |");
    expect(markdown).toContain("| 1 | 5 |  |"); // the val series has no step 1
    await expect(markdown).toMatchFileSnapshot("./__fixtures__/report.snapshot.md");
  });

  it("HTML report is self-contained, escaped, inlines Chart.js and matches its snapshot", async () => {
    const html = renderHtml(results, meta);
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/); // nothing fetched
    expect(html).toContain("Chart.js v4");
    expect(html).toMatch(/<canvas id="chart-0"/);
    expect(html).toContain("Rendered by a test &lt;not HTML&gt;.");
    expect(html).toContain("c4 &lt;lines&gt;");
    const specs = JSON.parse(
      /<script type="application\/json" id="chart-specs">(.*?)<\/script>/s.exec(html)![1]!,
    );
    expect(specs[0].type).toBe("line");
    expect(specs.length).toBe(1 + results.filter((r) => r.details?.chart).length);
    await expect(withoutLibrary(html)).toMatchFileSnapshot("./__fixtures__/report.snapshot.html");
  });

  it("HTML without charts keeps data tables and has no scripts", () => {
    const html = renderHtml(results, meta, { charts: false });
    expect(html).not.toContain("<script");
    expect(html).toContain('<details class="data">');
  });
});
