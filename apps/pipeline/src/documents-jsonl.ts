/**
 * The data stage's output format: one Document per line ({ id, text, metadata }), written with
 * a temp file and a rename (all or nothing), read back as a stream.
 */
import { createReadStream } from "node:fs";
import { mkdir, open, rename } from "node:fs/promises";
import { dirname } from "node:path";
import { createInterface } from "node:readline";
import { type Document, LlmError, tempPathFor } from "@llm/core";

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

export async function* readDocumentsJsonl(path: string): AsyncGenerator<Document> {
  const lines = createInterface({
    input: createReadStream(path, "utf8"),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    if (!line.trim()) continue;
    try {
      yield JSON.parse(line) as Document;
    } catch (cause) {
      throw new LlmError("FILE_CORRUPT", `Line ${lineNumber} is not valid JSON.`, {
        input: path,
        hint: "Rerun the data stage: pnpm pipeline --from data.",
        cause,
      });
    }
  }
}

/** The texts of a documents file, for tokenizer training. */
export async function* readTexts(path: string): AsyncGenerator<string> {
  for await (const doc of readDocumentsJsonl(path)) yield doc.text;
}
