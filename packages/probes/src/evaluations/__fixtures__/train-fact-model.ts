/**
 * Test helper: a tiny GPT over a byte-level tokenizer, trained on the fact documents of a
 * knowledge base, for the tests of what a base model knows (fact-recall.ts, name-familiarity.ts).
 * Byte-level, so that a name is several tokens and a fact is spelled out whatever the documents
 * say. Leaves out: everything else a pretraining mix has.
 */
import { InMemoryBatchSource } from "@llm/data";
import { GPT, Trainer } from "@llm/model";
import { factDocuments, type KnowledgeBase } from "@llm/sft";
import { BpeTokenizer, GPT4_PATTERN } from "@llm/tokenizer";

export const byteTokenizer = BpeTokenizer.fromMerges([], { name: "bytes", pattern: GPT4_PATTERN });
export const byteBos = byteTokenizer.specialId("<|bos|>");
const T = 64;

/** A fresh 2-layer model (seed 1) over the byte tokenizer. */
export function tinyFactModel(): GPT {
  return new GPT(
    { vocabSize: byteTokenizer.vocabSize, nLayer: 2, nEmbd: 48, nHead: 2, seqLen: T, tieEmbeddings: true },
    { seed: 1 },
  );
}

/** tinyFactModel() trained `steps` steps on `copies` fact documents per known entity. */
export async function trainFactModel(kb: KnowledgeBase, copies: number, steps: number): Promise<GPT> {
  const tokens = factDocuments(kb, { copies, seed: 1 }).flatMap((d) => [
    byteBos,
    ...byteTokenizer.encode(d.text),
  ]);
  const model = tinyFactModel();
  const trainer = new Trainer(model, {
    totalSteps: steps,
    lr: 1e-2,
    warmupSteps: 10,
    weightDecay: 0,
    seed: 1,
  });
  await trainer.run(new InMemoryBatchSource({ tokens, batchSize: 8, seqLen: T, seed: 2 }));
  trainer.dispose();
  return model;
}
