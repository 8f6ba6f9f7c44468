/**
 * readDocuments: training documents from files, as an async iterable for trainBpe: a `.jsonl`
 * file yields the `text` field of each line, any other file yields its whole content as one
 * document. Reference: nanochat's parquet text iterator (simplified). Leaves out: parquet,
 * compressed files and globbing.
 */
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { LlmError } from "@llm/core";

export async function* readDocuments(paths: readonly string[]): AsyncGenerator<string> {
  for (const path of paths) {
    try {
      if (path.endsWith(".jsonl")) {
        const lines = createInterface({
          input: createReadStream(path, "utf8"),
          crlfDelay: Number.POSITIVE_INFINITY,
        });
        let number = 0;
        for await (const line of lines) {
          number++;
          if (line.trim() === "") continue;
          let record: unknown;
          try {
            record = JSON.parse(line);
          } catch (cause) {
            throw new LlmError("FILE_CORRUPT", `${path} line ${number} is not valid JSON.`, {
              input: `${path}:${number}`,
              cause,
            });
          }
          const text = (record as { text?: unknown }).text;
          if (typeof text !== "string") {
            throw new LlmError("INVALID_INPUT", `${path} line ${number} has no string "text" field.`, {
              input: `${path}:${number}`,
              hint: 'Each line must be an object like {"text": "..."}.',
            });
          }
          yield text;
        }
      } else {
        yield await readFile(path, "utf8");
      }
    } catch (cause) {
      if (cause instanceof LlmError) throw cause;
      throw new LlmError("FILE_NOT_FOUND", `Cannot read training file ${path}.`, {
        input: path,
        hint: "Check the path.",
        cause,
      });
    }
  }
}
