/**
 * readDocuments: training documents from files, as an async iterable for trainBpe: a `.jsonl`
 * file yields the `text` field of each line, any other file yields its whole content as one
 * document. Bytes that are not valid UTF-8 are read as U+FFFD and reported: an `onLog` warning
 * names the file and the number of replaced bytes. Reference: nanochat's parquet text iterator
 * (simplified). Leaves out: parquet, compressed files, globbing and streaming (each file is read
 * whole).
 */
import { readFile } from "node:fs/promises";
import { type Listeners, LlmError, parseJsonl } from "@llm/core";
import { decodeUtf8 } from "./decode-utf8.js";

export async function* readDocuments(
  paths: readonly string[],
  listeners: Listeners = {},
): AsyncGenerator<string> {
  for (const path of paths) {
    let text: string;
    try {
      const decoded = decodeUtf8(await readFile(path));
      text = decoded.text;
      if (decoded.replacedBytes > 0) {
        listeners.onLog?.({
          stage: "tokenizer",
          level: "warn",
          message: `${path}: ${decoded.replacedBytes} bytes are not valid UTF-8 and were read as U+FFFD`,
        });
      }
    } catch (cause) {
      throw new LlmError("FILE_NOT_FOUND", `Cannot read training file ${path}.`, {
        input: path,
        hint: "Check the path.",
        cause,
      });
    }
    if (path.endsWith(".jsonl")) {
      const records = parseJsonl<{ text: string }>(text, path, {
        hint: 'Each line must be an object like {"text": "..."}.',
        check: (record) =>
          typeof (record as { text?: unknown } | null)?.text === "string"
            ? undefined
            : 'has no string "text" field',
      });
      for (const record of records) yield record.text;
    } else {
      yield text;
    }
  }
}
