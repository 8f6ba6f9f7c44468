/**
 * The data stage's output format: one Document per line ({ id, text, metadata }), written with
 * a temp file and a rename (all or nothing), read back as a stream with @llm/core's streamJsonl.
 */
import { mkdir, open, rename } from "node:fs/promises";
import { dirname } from "node:path";
import { type Document, streamJsonl, tempPathFor } from "@llm/core";

export interface WriteDocumentsResult {
  documents: number;
  chars: number;
  bytes: number;
}

export async function writeDocumentsJsonl(
  path: string,
  documents: Iterable<Document> | AsyncIterable<Document>,
): Promise<WriteDocumentsResult> {
  await mkdir(dirname(path), { recursive: true });
  const temp = tempPathFor(path);
  const handle = await open(temp, "w");
  const result: WriteDocumentsResult = { documents: 0, chars: 0, bytes: 0 };
  let buffer: string[] = [];
  const flush = async () => {
    if (buffer.length === 0) return;
    await handle.write(buffer.join(""));
    buffer = [];
  };
  try {
    for await (const doc of documents) {
      buffer.push(`${JSON.stringify({ id: doc.id, text: doc.text, metadata: doc.metadata })}\n`);
      result.documents++;
      result.chars += doc.text.length;
      result.bytes += Buffer.byteLength(doc.text);
      if (buffer.length >= 256) await flush();
    }
    await flush();
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
  return result;
}

/** The documents of a file, streamed; a bad line is FILE_CORRUPT naming `path:line`. */
export function readDocumentsJsonl(path: string): AsyncGenerator<Document> {
  return streamJsonl<Document>(path, {
    hint: "Rerun the data stage: pnpm pipeline --from data.",
    check: (value) =>
      typeof (value as { text?: unknown } | null)?.text === "string"
        ? undefined
        : 'is not a document with a "text" string',
  });
}

/** The texts of a documents file, for tokenizer training. */
export async function* readTexts(path: string): AsyncGenerator<string> {
  for await (const doc of readDocumentsJsonl(path)) yield doc.text;
}
