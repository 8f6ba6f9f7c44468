/**
 * readSearchDocuments: the texts the tool's search() looks through, read from JSONL document files
 * (one {"text": ...} per line, the format of a pipeline run's data/train.jsonl and data/val.jsonl),
 * in file order. Missing files are skipped, so a run without data gives an empty list; a line that
 * is not a document is an error naming the file and line. readRunSearchDocuments reads a run
 * folder's corpus, so that everything giving a run's model its search() searches the same texts.
 * Reference: the run folder of architecture.md (runPaths of @llm/core); readJsonl of @llm/core.
 * Leaves out: Parquet and other formats (@llm/data reads those into documents first).
 */
import { readJsonl, runPaths } from "@llm/core";

const DOCUMENT_HINT =
  'Each line must be JSON like {"text": "..."}; re-run the pipeline data stage to rewrite the file.';

export async function readSearchDocuments(paths: readonly string[]): Promise<string[]> {
  const texts: string[] = [];
  for (const path of paths) {
    const documents = await readJsonl<{ text: string }>(path, {
      missingIsEmpty: true,
      hint: DOCUMENT_HINT,
      check: (value) =>
        typeof (value as { text?: unknown } | null)?.text === "string"
          ? undefined
          : 'is not a document with a "text" string',
    });
    for (const document of documents) texts.push(document.text);
  }
  return texts;
}

/** The corpus of a pipeline run folder: its data/train.jsonl, then data/val.jsonl (those present). */
export function readRunSearchDocuments(runDir: string): Promise<string[]> {
  const run = runPaths(runDir);
  return readSearchDocuments([run.trainDocuments, run.valDocuments]);
}
