/**
 * countChunks: the first pass of BPE training. Cuts every document with the pre-split pattern
 * and counts each distinct chunk once, so training works on (chunk, count) pairs instead of the
 * raw text: 50 MB of English has well under a million distinct chunks. Applies the per-document
 * and total character caps. Reference: nanochat rustbpe `train_from_iterator`.
 * Leaves out: parallel counting (documents are counted on the calling thread).
 */
import { type Listeners, LlmError } from "@llm/core";
import { ChunkCounter } from "./chunk-counter.js";
import { preSplitter } from "./pre-splitter.js";

/** What a tokenizer can be trained on: one text, or documents from a (async) iterable. */
export type TrainInput = string | Iterable<string> | AsyncIterable<string>;

export interface ChunkCountOptions {
  /** Pre-split pattern (tiktoken syntax). */
  pattern: string;
  /** Only the first this many characters of each document are used. */
  maxCharsPerDoc: number;
  /** Stop after this many characters in all (the last document is cut). */
  maxChars: number;
}

export interface ChunkCounts {
  /** Distinct chunk -> number of occurrences. */
  counts: Map<string, number>;
  /** Documents read (including a cut last one). */
  documents: number;
  /** Characters (UTF-16 code units) counted. */
  chars: number;
}

function isAsyncIterable(input: unknown): input is AsyncIterable<string> {
  return typeof (input as AsyncIterable<string>)[Symbol.asyncIterator] === "function";
}

export async function countChunks(
  input: TrainInput,
  options: ChunkCountOptions,
  listeners: Listeners = {},
): Promise<ChunkCounts> {
  const split = preSplitter(options.pattern);
  const counter = new ChunkCounter();
  const addChunk = (text: string, start: number, end: number): void => counter.add(text, start, end);
  let documents = 0;
  let chars = 0;
  let nextReport = 1 << 20;
  const add = (doc: unknown): boolean => {
    if (typeof doc !== "string") {
      throw new LlmError(
        "INVALID_INPUT",
        `Training documents must be strings; document ${documents} is ${typeof doc}.`,
        {
          input: `document ${documents}`,
          hint: "Pass a string, or an iterable of strings (map your records to their text first).",
        },
      );
    }
    let text = doc.length > options.maxCharsPerDoc ? doc.slice(0, options.maxCharsPerDoc) : doc;
    const left = options.maxChars - chars;
    if (text.length > left) text = text.slice(0, left);
    split(text, (start, end) => addChunk(text, start, end));
    documents++;
    chars += text.length;
    if (chars >= nextReport) {
      nextReport = chars + (1 << 20);
      listeners.onProgress?.({
        stage: "tokenizer",
        done: chars,
        unit: "chars",
        message: `counted ${documents} documents`,
      });
    }
    return chars < options.maxChars;
  };
  if (typeof input === "string") {
    add(input);
  } else if (isAsyncIterable(input)) {
    for await (const doc of input) if (!add(doc)) break;
  } else {
    for (const doc of input) if (!add(doc)) break;
  }
  return { counts: counter.toMap(), documents, chars };
}
