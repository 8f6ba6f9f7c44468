import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Document } from "@llm/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readJsonlDocuments } from "./jsonl-source.js";
import { mixSources } from "./mix-sources.js";
import { readCorpus } from "./offline-corpora.js";
import { readParquet } from "./parquet-source.js";
import { readDocuments } from "./read-documents.js";
import type { SourceIssue } from "./source-options.js";
import { readTextFiles } from "./text-file-source.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "llm-data-sources-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect(docs: AsyncIterable<Document>): Promise<Document[]> {
  const out: Document[] = [];
  for await (const d of docs) out.push(d);
  return out;
}

describe("JSONL source", () => {
  it("reads configurable fields and records bad lines with reasons", async () => {
    const path = join(dir, "a.jsonl");
    const big = `{"body": "${"x".repeat(2000)}"}`;
    const lines = [
      Buffer.from('{"body": "first", "key": "k1", "url": "https://a.example"}\n'),
      Buffer.from("{not json\n"),
      Buffer.from([0x7b, 0x22, 0x62, 0x6f, 0x64, 0x79, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d, 0x0a]),
      Buffer.from(`${big}\n`),
      Buffer.from('{"other": 1}\n'),
      Buffer.from("[1, 2]\n\n"),
      Buffer.from('{"body": "last", "key": 7}\r\n'),
    ];
    await writeFile(path, Buffer.concat(lines));
    const issues: SourceIssue[] = [];
    const docs = await collect(
      readJsonlDocuments(path, {
        textField: "body",
        idField: "key",
        maxDocumentBytes: 1000,
        onIssue: (i) => issues.push(i),
      }),
    );
    expect(docs.map((d) => [d.id, d.text])).toEqual([
      ["k1", "first"],
      ["7", "last"],
    ]);
    expect(docs[0]?.metadata.url).toBe("https://a.example");
    expect(issues.map((i) => [i.input.split(":").pop(), i.rule])).toEqual([
      ["2", "malformed_json"],
      ["3", "invalid_utf8"],
      ["4", "too_large"],
      ["5", "missing_text"],
      ["6", "not_an_object"],
    ]);
    await expect(collect(readJsonlDocuments(path, { textField: "body", failFast: true }))).rejects.toThrow(
      /malformed_json.*a\.jsonl:2/,
    );
  });

  it("skips a 50 MB single line without buffering it, and reports an empty file", async () => {
    const path = join(dir, "huge.jsonl");
    await writeFile(path, `{"text": "${"y".repeat(50 * 1024 * 1024)}"}\n{"text": "after"}\n`);
    const issues: SourceIssue[] = [];
    const docs = await collect(
      readJsonlDocuments(path, { maxDocumentBytes: 1024 * 1024, onIssue: (i) => issues.push(i) }),
    );
    expect(docs.map((d) => d.text)).toEqual(["after"]);
    expect(issues[0]?.rule).toBe("too_large");
    const empty = join(dir, "empty.jsonl");
    await writeFile(empty, "");
    const emptyIssues: SourceIssue[] = [];
    expect(await collect(readJsonlDocuments(empty, { onIssue: (i) => emptyIssues.push(i) }))).toEqual([]);
    expect(emptyIssues.map((i) => i.rule)).toEqual(["empty_file"]);
  });
});

describe("text and HTML files", () => {
  it("walks folders in order, marks HTML, and skips empty and non-UTF-8 files", async () => {
    const root = join(dir, "texts");
    await mkdir(join(root, "sub"), { recursive: true });
    await writeFile(join(root, "b.txt"), "bee");
    await writeFile(join(root, "a.txt"), "ay");
    await writeFile(join(root, "sub", "c.html"), "<p>see</p>");
    await writeFile(join(root, "empty.txt"), "");
    await writeFile(join(root, "latin1.txt"), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    await writeFile(join(root, "ignored.bin"), "zzz");
    const issues: SourceIssue[] = [];
    const docs = await collect(readTextFiles([root], { onIssue: (i) => issues.push(i) }));
    expect(docs.map((d) => d.text)).toEqual(["ay", "bee", "<p>see</p>"]);
    expect(docs[2]?.metadata.content_type).toBe("text/html");
    expect(issues.map((i) => i.rule).sort()).toEqual(["empty_file", "invalid_utf8"]);
    const replaced = await collect(readTextFiles([join(root, "latin1.txt")], { invalidUtf8: "replace" }));
    expect(replaced[0]?.text).toBe("caf\uFFFD");
  });
});

describe("Parquet source", () => {
  it("reads the FineWeb-schema fixture row group by row group", async () => {
    const path = new URL("../__fixtures__/fineweb-sample.parquet", import.meta.url).pathname;
    const docs = await collect(readParquet(path));
    expect(docs).toHaveLength(6);
    expect(docs[0]?.id).toBe("<urn:uuid:fixture-0>");
    expect(docs[3]?.text).toContain("jane.doe@example.net");
    expect(docs[5]?.metadata).toMatchObject({
      dump: "CC-MAIN-2024-10",
      language: "en",
      url: "https://example.com/page/5",
    });
    expect(typeof docs[0]?.metadata.token_count).toBe("number");
    const issues: SourceIssue[] = [];
    const broken = join(dir, "broken.parquet");
    await writeFile(broken, "PAR1 not really");
    expect(await collect(readParquet(broken, { onIssue: (i) => issues.push(i) }))).toEqual([]);
    expect(issues[0]?.rule).toBe("unreadable_file");
  });
});

describe("WARC source", () => {
  it("reads HTML responses from a gzipped WARC file", async () => {
    const record = (uri: string, type: string, body: string) => {
      const http = `HTTP/1.1 200 OK\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
      const head = [
        "WARC/1.0",
        "WARC-Type: response",
        `WARC-Record-ID: <urn:uuid:${uri.length}-${type.length}>`,
        `WARC-Target-URI: ${uri}`,
        "WARC-Date: 2024-01-01T00:00:00Z",
        "Content-Type: application/http; msgtype=response",
        `Content-Length: ${Buffer.byteLength(http)}`,
      ].join("\r\n");
      return gzipSync(Buffer.from(`${head}\r\n\r\n${http}\r\n\r\n`));
    };
    const path = join(dir, "pages.warc.gz");
    await writeFile(
      path,
      Buffer.concat([
        record(
          "https://a.example/",
          "text/html; charset=utf-8",
          "<html><body><p>Hello page</p></body></html>",
        ),
        record("https://b.example/img", "image/png", "PNGDATA"),
        record("https://c.example/x", "text/html", "<p>Second</p>"),
      ]),
    );
    const docs = await collect(readDocuments(path));
    expect(docs.map((d) => d.metadata.url)).toEqual(["https://a.example/", "https://c.example/x"]);
    expect(docs[0]?.text).toContain("Hello page");
    expect(docs[0]?.metadata.content_type).toBe("text/html");
  });
});

describe("readDocuments", () => {
  it("picks the reader by extension and rejects unknown formats", async () => {
    const path = join(dir, "one.jsonl");
    await writeFile(path, '{"text": "hello"}\n');
    expect((await collect(readDocuments(path))).map((d) => d.text)).toEqual(["hello"]);
    expect(() => readDocuments(join(dir, "x.docx"))).toThrow(/No reader/);
  });
});

describe("offline corpora and mixing", () => {
  it("reads named corpora lazily", async () => {
    const moby = await collect(readCorpus("moby-dick", { limit: 3 }));
    expect(moby.map((d) => d.id)).toEqual([
      "moby-dick/contents",
      "moby-dick/etymology",
      "moby-dick/extracts",
    ]);
    const sotu = await collect(readCorpus("sotu", { limit: 2 }));
    expect(sotu[0]?.metadata.name).toBe("George Washington");
    const mail = await collect(readCorpus("spam-assassin", { groups: ["spam-1"], limit: 5 }));
    expect(mail).toHaveLength(5);
    expect(mail[0]?.metadata.spam).toBe(true);
    expect(mail[0]?.metadata.subject).toBe("Life Insurance - Why Pay More?");
    expect(mail[0]?.text).not.toMatch(/^Return-Path:/m);
  });

  it("mixes by weight, deterministically by seed", async () => {
    const make = (name: string, n: number): Document[] =>
      Array.from({ length: n }, (_, i) => ({ id: `${name}${i}`, text: name, metadata: {} }));
    const run = async (seed: number) =>
      (
        await collect(
          mixSources(
            [
              { name: "a", documents: make("a", 1000), weight: 3 },
              { name: "b", documents: make("b", 1000), weight: 1 },
            ],
            { seed, maxDocuments: 400 },
          ),
        )
      ).map((d) => d.id);
    const first = await run(1);
    expect(await run(1)).toEqual(first);
    expect(await run(2)).not.toEqual(first);
    const share = first.filter((id) => id.startsWith("a")).length / first.length;
    expect(share).toBeGreaterThan(0.68);
    expect(share).toBeLessThan(0.82);
    const drained = await collect(
      mixSources([
        { name: "a", documents: make("a", 3), weight: 1 },
        { name: "b", documents: make("b", 5), weight: 1 },
      ]),
    );
    expect(drained).toHaveLength(8);
    expect(drained[0]?.metadata.mix_source).toMatch(/^[ab]$/);
  });
});
