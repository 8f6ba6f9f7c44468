/**
 * The report stage: gathers the report card (report-card.ts) and writes report.json, and
 * report.md and report.html through @llm/probes' renderers (the HTML is self-contained: inline
 * styles and an inlined charting library, so it opens offline).
 */
import { writeFileAtomic, writeJsonAtomic } from "@llm/core";
import { renderHtml, renderMarkdown } from "@llm/probes";
import { buildReportCard } from "../report/report-card.js";
import { reportMeta } from "../report/report-sections.js";
import type { StageContext } from "../run-pipeline.js";
import { packageVersions } from "../versions.js";

export async function reportStage(context: StageContext): Promise<Record<string, unknown>> {
  const { run } = context;
  const card = await buildReportCard({
    run,
    preset: context.config.name,
    backend: String(
      context.summaries.pretrain?.backendLabel ?? context.summaries.pretrain?.backend ?? context.backend,
    ),
    versions: packageVersions(),
    stageHashes: context.hashes,
    markers: await run.readMarkers(),
  });
  await writeJsonAtomic(run.paths.reportJson, card);
  await writeFileAtomic(run.paths.reportMarkdown, renderMarkdown(card.probes, reportMeta(card, 12)));
  await writeFileAtomic(run.paths.reportHtml, renderHtml(card.probes, reportMeta(card, 400)));
  return { probes: card.probes.length, samples: card.samples.length, totalSeconds: card.totalSeconds };
}
