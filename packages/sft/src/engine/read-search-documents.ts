/**
 * readSearchDocuments: the texts the tool's search() looks through, read from JSONL document files
 * (one {"text": ...} per line, the format of a pipeline run's data/train.jsonl and data/val.jsonl),
 * in file order. Missing files are skipped, so a run without data gives an empty list; a line that
 * is not a document is an error naming the file and line. readRunSearchDocuments reads a run
 * folder's corpus, so that everything giving a run's model its search() searches the same texts.
 * Reference: the run folder of architecture.md (data/*.jsonl).
 * Leaves out: Parquet and other formats (@llm/data reads those into documents first).
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { LlmError } from "@llm/core";

export async function readSearchDocuments(paths: readonly string[]): Promise<string[]> {
  const texts: string[] = [];
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const lines = (await readFile(path, "utf8")).split("\n");
    lines.forEach((line, index) => {
      if (line.trim() === "") return;
      let doc: { text?: unknown } | undefined;
      try {
        doc = JSON.parse(line) as { text?: unknown };
      } catch {
        doc = undefined;
      }
      if (typeof doc?.text !== "string") {
        throw new LlmError("FILE_CORRUPT", `${path}:${index + 1} is not a document with a "text" string.`, {
          input: `${path}:${index + 1}`,
          hint: 'Each line must be JSON like {"text": "..."}; re-run the pipeline data stage to rewrite the file.',
        });
      }
      texts.push(doc.text);
    });
  }
  return texts;
}

/** The corpus of a pipeline run folder: its data/train.jsonl, then data/val.jsonl (those present). */
export function readRunSearchDocuments(runDir: string): Promise<string[]> {
  return readSearchDocuments([join(runDir, "data", "train.jsonl"), join(runDir, "data", "val.jsonl")]);
}
