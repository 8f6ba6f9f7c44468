/**
 * The tokenizer stage: trains our byte-level BPE (with the chat special tokens reserved) on the
 * cleaned training documents, saves tokenizer/tokenizer.json and a .tiktoken export, tokenizes
 * the training and validation documents into data/shards/{train,val}_*.bin, and measures bytes
 * per token of ours against the reference tokenizers on the validation text.
 * The fact documents about fictional entities are left out of the BPE training sample (they are
 * still tokenized and trained on): each known name is written hundreds of times, so BPE would
 * merge known names into single tokens while unknown names, never written, stay in pieces, and
 * the knowledge probe's known/unknown split could be read off the tokenization instead of the
 * model's memory (docs/lab-notes/).
 */
import { writeFileAtomic } from "@llm/core";
import { tokenizeDocuments } from "@llm/data";
import { DEFAULT_PATTERN, ENCODING_NAMES, getEncoding, SPLIT_DIGITS_PATTERN, trainBpe } from "@llm/tokenizer";
import { readDocumentsJsonl, readTexts } from "../documents-jsonl.js";
import type { StageContext } from "../run-pipeline.js";

/** How much validation text the bytes-per-token comparison encodes. */
const COMPARE_CHARS = 300_000;

/** Sources whose documents the BPE training sample leaves out (see the header). */
export const TOKENIZER_EXCLUDED_SOURCES: ReadonlySet<string> = new Set(["knowledge"]);

/** The texts BPE trains on: the training documents minus TOKENIZER_EXCLUDED_SOURCES. */
export async function* tokenizerSample(trainPath: string): AsyncGenerator<string> {
  for await (const doc of readDocumentsJsonl(trainPath)) {
    if (!TOKENIZER_EXCLUDED_SOURCES.has(String(doc.metadata?.source ?? ""))) yield doc.text;
  }
}

export async function tokenizerStage(context: StageContext): Promise<Record<string, unknown>> {
  const { run, config } = context;
  const t = config.tokenizer;
  const trainPath = run.paths.trainDocuments;
  const valPath = run.paths.valDocuments;
  const tokenizer = await trainBpe(
    tokenizerSample(trainPath),
    {
      vocabSize: t.vocabSize,
      maxChars: t.maxTrainingChars,
      name: `ours-${t.vocabSize}`,
      pattern: t.splitDigits ? SPLIT_DIGITS_PATTERN : DEFAULT_PATTERN,
    },
    context.listeners,
  );
  await tokenizer.save(run.paths.tokenizerJson);
  await writeFileAtomic(run.paths.tokenizerTiktoken, tokenizer.toTiktokenRanks());
  const shardTokens = 4_000_000;
  const train = await tokenizeDocuments(readDocumentsJsonl(trainPath), tokenizer, {
    outDir: run.paths.shards,
    prefix: "train",
    shardTokens,
    listeners: context.listeners,
  });
  const val = await tokenizeDocuments(readDocumentsJsonl(valPath), tokenizer, {
    outDir: run.paths.shards,
    prefix: "val",
    shardTokens,
  });

  let sample = "";
  for await (const text of readTexts(valPath)) {
    sample += `${text}\n`;
    if (sample.length >= COMPARE_CHARS) break;
  }
  const sampleBytes = Buffer.byteLength(sample);
  const bytesPerToken: Record<string, number> = {
    [tokenizer.name]: sampleBytes / Math.max(1, tokenizer.encode(sample).length),
  };
  for (const name of ENCODING_NAMES) {
    const reference = getEncoding(name);
    bytesPerToken[name] = sampleBytes / Math.max(1, reference.encode(sample).length);
  }
  return {
    name: tokenizer.name,
    vocabSize: tokenizer.vocabSize,
    comparedOnBytes: sampleBytes,
    bytesPerToken,
    shards: {
      trainShards: train.shards.length,
      trainTokens: train.tokens,
      trainDocuments: train.documents,
      trainBytes: train.bytes,
      valShards: val.shards.length,
      valTokens: val.tokens,
      valDocuments: val.documents,
      dtype: train.dtype,
    },
  };
}
