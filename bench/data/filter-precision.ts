/**
 * Filter precision (and recall where there are positives) of @llm/data's trust-sensitive filters
 * on labelled real text: SpamAssassin ham and spam (its HTML parts are labelled by their MIME
 * type), Moby Dick chapters and the State of the Union addresses as clean prose, this repo's own
 * TypeScript, Python, CSS and JSON files as code, and pages, URLs and PII sentences labelled by
 * hand in bench/data/labelled/. Prints one table per filter.
 * Run from the repo root:
 *   npx tsx --conditions=@llm/source bench/data/filter-precision.ts [--emails 800]
 * Leaves out: a reference implementation (datatrove's filters need Python packages we do not have
 * offline); the hand-labelled sets are small, so their figures move by several points per item.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Document } from "@llm/core";
import { parseCliOptions } from "@llm/core";
import {
  HarmfulContentFilter,
  isHtmlDocument,
  LanguageFilter,
  PiiFilter,
  readCorpus,
  UrlFilter,
} from "@llm/data";

const { values } = parseCliOptions(
  process.argv.slice(2),
  { emails: { type: "string", default: "800" } },
  { allowPositionals: false },
);
const perGroup = Math.ceil(Number(values.emails) / 5);
const here = new URL(".", import.meta.url).pathname;
const root = join(here, "..", "..");
const labelled = <T>(name: string): T => JSON.parse(readFileSync(join(here, "labelled", name), "utf8")) as T;

const collect = async (docs: AsyncIterable<Document>) => {
  const out: Document[] = [];
  for await (const d of docs) out.push(d);
  return out;
};
const moby = await collect(readCorpus("moby-dick"));
const sotu = await collect(readCorpus("sotu"));
const emails = await collect(readCorpus("spam-assassin", { perGroupLimit: perGroup }));
const isHam = (d: Document) => !String(d.metadata.group ?? d.id).includes("spam");
const ham = emails.filter(isHam);
const spam = emails.filter((d) => !isHam(d));

const pct = (a: number, b: number) => (b === 0 ? "  n/a" : `${((100 * a) / b).toFixed(1).padStart(5)}%`);
function report(title: string, rows: [string, string | number][]) {
  console.log(`\n${title}`);
  for (const [k, v] of rows) console.log(`  ${k.padEnd(58)} ${v}`);
}
/** Precision and recall of a detector: flagged among positives (tp) and among negatives (fp). */
function pr(tp: number, positives: number, fp: number): [string, string][] {
  return [
    ["precision (flagged that are positive)", pct(tp, tp + fp)],
    ["recall (positives flagged)", pct(tp, positives)],
  ];
}

// 1. HTML detection of unmarked text (isHtmlDocument): email parts labelled by their MIME type.
{
  const htmlParts = emails.filter((d) => d.metadata.content_type === "text/html");
  const plainParts = emails.filter((d) => d.metadata.content_type !== "text/html");
  const tutorials = labelled<{ pages: { text: string }[] }>("pages.json").pages;
  const negatives = [...plainParts, ...moby, ...sotu];
  const tp = htmlParts.filter((d) => isHtmlDocument(d.text)).length;
  const fp = negatives.filter((d) => isHtmlDocument(d.text)).length;
  report(
    `HTML detection (isHtmlDocument), ${htmlParts.length} text/html email parts vs ${negatives.length} plain texts`,
    [
      ...pr(tp, htmlParts.length, fp),
      [
        "plain email parts flagged",
        `${plainParts.filter((d) => isHtmlDocument(d.text)).length} of ${plainParts.length}`,
      ],
      [
        "hand-written pages flagged",
        `${tutorials.filter((p) => isHtmlDocument(p.text)).length} of ${tutorials.length}`,
      ],
    ],
  );
}

// 2. URL filter on hand-labelled URLs.
{
  const urls = labelled<{ clean: string[]; adult: string[] }>("urls.json");
  const f = new UrlFilter();
  const dropped = (u: string) => !f.apply({ id: u, text: "", metadata: { url: u } }).keep;
  const tp = urls.adult.filter(dropped).length;
  const fpList = urls.clean.filter(dropped);
  report(`UrlFilter, ${urls.adult.length} adult vs ${urls.clean.length} innocent look-alike URLs`, [
    ...pr(tp, urls.adult.length, fpList.length),
    ["innocent URLs dropped", fpList.join(" ") || "none"],
    ["adult URLs kept", urls.adult.filter((u) => !dropped(u)).join(" ") || "none"],
  ]);
}

// 3. Harmful content: hand-labelled pages, plus clean corpora (every drop there is a false positive).
{
  const f = new HarmfulContentFilter();
  const pages = labelled<{ pages: { id: string; label: string; text: string }[] }>("pages.json").pages;
  const verdict = (text: string) => {
    const d = f.apply({ id: "x", text, metadata: {} });
    return d.keep ? "keep" : d.reason.rule;
  };
  const positives = pages.filter((p) => p.label !== "clean");
  const tp = positives.filter((p) => verdict(p.text) === p.label).length;
  const fpPages = pages.filter((p) => p.label === "clean" && verdict(p.text) !== "keep");
  const cleanCorpora = [...moby, ...sotu, ...ham];
  const fpCorpora = cleanCorpora.filter((d) => verdict(d.text) !== "keep").length;
  report(
    `HarmfulContentFilter, ${positives.length} harmful pages vs ${pages.length - positives.length} innocent pages + ${cleanCorpora.length} clean documents`,
    [
      ...pr(tp, positives.length, fpPages.length + fpCorpora),
      ["innocent pages dropped", fpPages.map((p) => p.id).join(" ") || "none"],
      [
        "harmful pages kept or miscategorised",
        positives
          .filter((p) => verdict(p.text) !== p.label)
          .map((p) => p.id)
          .join(" ") || "none",
      ],
      [
        "Moby Dick chapters dropped",
        `${moby.filter((d) => verdict(d.text) !== "keep").length} of ${moby.length}`,
      ],
      [
        "State of the Union addresses dropped",
        `${sotu.filter((d) => verdict(d.text) !== "keep").length} of ${sotu.length}`,
      ],
      [
        "SpamAssassin ham dropped",
        `${ham.filter((d) => verdict(d.text) !== "keep").length} of ${ham.length}`,
      ],
      [
        "SpamAssassin spam dropped (not labelled adult)",
        `${spam.filter((d) => verdict(d.text) !== "keep").length} of ${spam.length}`,
      ],
    ],
  );
}

// 4. Language ID: English prose should be kept, code dropped.
{
  const f = new LanguageFilter();
  const chunks = (text: string, size = 2000) => {
    const out: string[] = [];
    for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
    return out.filter((t) => t.trim().length > 200);
  };
  const files = (dir: string, ext: string) =>
    readdirSync(join(root, dir), { recursive: true, encoding: "utf8" })
      .filter((n) => n.endsWith(ext) && !n.includes("node_modules") && !n.includes(".test."))
      .map((n) => readFileSync(join(root, dir, n), "utf8"));
  const code: Record<string, string[]> = {
    typescript: files("packages/data/src", ".ts").flatMap((t) => chunks(t)),
    python: files("bench", ".py").flatMap((t) => chunks(t)),
    css: files("apps/chat/public", ".css").flatMap((t) => chunks(t)),
    json: [
      "packages/data/package.json",
      "packages/model/package.json",
      "packages/sft/package.json",
      "apps/pipeline/package.json",
      "packages/core/package.json",
      "package.json",
      "biome.json",
      "turbo.json",
    ]
      .map((p) => readFileSync(join(root, p), "utf8"))
      .filter((t) => t.length > 200),
  };
  const keeps = async (text: string) => (await f.apply({ id: "x", text, metadata: {} })).keep;
  const count = async (texts: string[]) => {
    let n = 0;
    for (const t of texts) if (await keeps(t)) n++;
    return n;
  };
  const prose = [...moby, ...sotu, ...ham.filter((d) => d.metadata.content_type !== "text/html")].map(
    (d) => d.text,
  );
  const proseKept = await count(prose);
  const rows: [string, string][] = [];
  let codeKept = 0;
  let codeTotal = 0;
  for (const [name, texts] of Object.entries(code)) {
    const kept = await count(texts);
    codeKept += kept;
    codeTotal += texts.length;
    rows.push([`${name} chunks kept as English`, `${kept} of ${texts.length}`]);
  }
  report(`LanguageFilter (en > 0.65), ${prose.length} English prose documents vs ${codeTotal} code chunks`, [
    ["precision (kept that are prose)", pct(proseKept, proseKept + codeKept)],
    ["recall (prose kept)", pct(proseKept, prose.length)],
    ...rows,
    [
      "Moby Dick + State of the Union kept",
      `${await count([...moby, ...sotu].map((d) => d.text))} of ${moby.length + sotu.length}`,
    ],
  ]);
}

// 5. PII: hand-labelled sentences, plus replacements in clean prose (all false positives there).
{
  const f = new PiiFilter();
  const items = labelled<{ items: { pii: boolean; kind: string; text: string }[] }>("pii.json").items;
  const scrubbed = (t: string) => f.scrub(t).text !== t;
  const positives = items.filter((i) => i.pii);
  const tp = positives.filter((i) => scrubbed(i.text)).length;
  const fpItems = items.filter((i) => !i.pii && scrubbed(i.text));
  const prose = [...moby, ...sotu];
  let proseHits = 0;
  for (const d of prose) for (const v of Object.values(f.scrub(d.text).counts)) proseHits += v;
  report(
    `PiiFilter, ${positives.length} sentences with PII vs ${items.length - positives.length} look-alikes`,
    [
      ...pr(tp, positives.length, fpItems.length),
      ["look-alikes rewritten", fpItems.map((i) => `${i.kind}: ${i.text}`).join(" | ") || "none"],
      [
        "PII missed",
        positives
          .filter((i) => !scrubbed(i.text))
          .map((i) => i.text)
          .join(" | ") || "none",
      ],
      ["replacements in Moby Dick + State of the Union (no PII)", String(proseHits)],
    ],
  );
}
