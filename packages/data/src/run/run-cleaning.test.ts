import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Document, DocumentFilter } from "@llm/core";
import { isLlmError } from "@llm/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultCleaningChain } from "../filters/default-cleaning-chain.js";
import { readCorpus } from "../sources/offline-corpora.js";
import { type CleaningStats, formatSummaryTable } from "./cleaning-stats.js";
import { CleaningRun, type ExclusionRecord, runCleaning } from "./run-cleaning.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "llm-data-clean-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const readJsonl = async <T>(path: string): Promise<T[]> =>
  (await readFile(path, "utf8"))
    .split("\n")
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as T);

const PLACEHOLDERS = new Set(["email@example.com", "firstname.lastname@example.org"]);

describe("runCleaning on a bounded slice of the real SpamAssassin corpus", () => {
  const kept: Document[] = [];
  let stats: CleaningStats;
  let exclusions: ExclusionRecord[];
  let read: Document[];

  beforeAll(async () => {
    read = [];
    async function* slice() {
      for (const [group, n] of [
        ["easy-ham-2", 80],
        ["hard-ham-1", 15],
        ["spam-1", 100],
      ] as const) {
        for await (const d of readCorpus("spam-assassin", { groups: [group], perGroupLimit: n })) {
          read.push(d);
          yield d;
        }
      }
    }
    const result = await runCleaning(slice(), defaultCleaningChain(), {
      exclusionsPath: join(dir, "excluded.jsonl"),
      statsPath: join(dir, "stats.json"),
      onDocument: (d) => {
        kept.push(d);
      },
    });
    stats = result.stats;
    exclusions = await readJsonl<ExclusionRecord>(join(dir, "excluded.jsonl"));
  });

  it("accounts for every message: kept or excluded with a reason", () => {
    expect(stats.documentsIn).toBe(read.length);
    expect(kept.length + exclusions.length).toBe(read.length);
    for (const e of exclusions) {
      expect(e.filter).toBeTruthy();
      expect(e.rule).toBeTruthy();
    }
    expect(existsSync(join(dir, "stats.json"))).toBe(true);
  });

  it("leaves no email address in kept text", () => {
    let scrubbed = 0;
    for (const d of kept) {
      const found = (d.text.match(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g) ?? []).filter((m) => !PLACEHOLDERS.has(m));
      expect(found, d.id).toEqual([]);
      if ((d.metadata.pii as { email?: number } | undefined)?.email) scrubbed++;
    }
    expect(scrubbed).toBeGreaterThan(5);
  });

  it("drops spam- and boilerplate-heavy messages with reasons", () => {
    const keptRate = (spam: boolean) =>
      kept.filter((d) => d.metadata.spam === spam).length /
      read.filter((d) => d.metadata.spam === spam).length;
    expect(keptRate(true)).toBeLessThan(keptRate(false));
    expect(keptRate(true)).toBeLessThan(0.6);
    const rules = new Set(exclusions.map((e) => `${e.filter}/${e.rule}`));
    expect(
      [...rules].some((r) => r.startsWith("gopher_repetition/") || r.startsWith("fineweb_quality/")),
    ).toBe(true);
    expect([...rules].some((r) => r.startsWith("gopher_quality/"))).toBe(true);
    const numeric = exclusions.find((e) => e.filter === "gopher_quality");
    expect(typeof numeric?.value).toBe("number");
    expect(numeric?.threshold).toBeDefined();
  });

  it("keeps messages with invalid UTF-8 (decoded with U+FFFD)", () => {
    const survivors = kept.filter((d) => d.metadata.invalid_utf8);
    expect(survivors.length).toBeGreaterThan(0);
    expect(read.filter((d) => d.metadata.invalid_utf8).every((d) => d.text.length >= 0)).toBe(true);
  });

  it("writes per-filter stats and a summary table", async () => {
    const onDisk = JSON.parse(await readFile(join(dir, "stats.json"), "utf8")) as CleaningStats;
    expect(onDisk.filters.map((f) => f.name)).toEqual(defaultCleaningChain().map((f) => f.name));
    for (const f of onDisk.filters) expect(f.in).toBe(f.kept + f.dropped);
    const table = formatSummaryTable(onDisk);
    expect(table).toMatch(/^filter\s+in\s+kept\s+dropped/);
    expect(table).toContain(`documents: ${read.length} in, ${kept.length} kept`);
  });
});

describe("CleaningRun robustness", () => {
  const docs = (n: number): Document[] =>
    Array.from({ length: n }, (_, i) => ({ id: `d${i}`, text: `text ${i}`, metadata: {} }));
  const throwing: DocumentFilter = {
    name: "boom",
    apply: (d) => {
      if (d.id === "d1") throw new Error("filter exploded");
      return { keep: true, document: d };
    },
  };

  it("a throwing filter drops the document with rule filter_error", async () => {
    const path = join(dir, "errors.jsonl");
    const { stats } = await runCleaning(docs(3), [throwing], { exclusionsPath: path });
    expect(stats.documentsKept).toBe(2);
    const [record] = await readJsonl<ExclusionRecord>(path);
    expect(record).toMatchObject({ id: "d1", filter: "boom", rule: "filter_error" });
  });

  it("failFast stops with an LlmError and publishes nothing half-written", async () => {
    const path = join(dir, "failfast.jsonl");
    const error = await runCleaning(docs(3), [throwing], { exclusionsPath: path, failFast: true }).catch(
      (e: unknown) => e,
    );
    expect(isLlmError(error, "RUN_ERROR")).toBe(true);
    expect(existsSync(path)).toBe(false);
    expect((await readdir(dir)).filter((n) => n.includes("failfast"))).toEqual([]);
  });

  it("records source issues as exclusions", async () => {
    const path = join(dir, "issues.jsonl");
    const run = new CleaningRun([], { exclusionsPath: path });
    run.recordIssue({ source: "jsonl", input: "a.jsonl:3", rule: "malformed_json", message: "bad" });
    const stats = await run.finish();
    expect(stats.sourceIssues).toEqual({ malformed_json: 1 });
    expect(await readJsonl(path)).toEqual([
      { id: "a.jsonl:3", filter: "source:jsonl", rule: "malformed_json", value: "bad" },
    ]);
  });
});
