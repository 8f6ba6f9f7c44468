import { InMemoryBatchSource } from "@llm/data";
import { GPT, initBackend, Trainer } from "@llm/model";
import { factDocuments, generateKnowledgeBase } from "@llm/sft";
import { BpeTokenizer, GPT4_PATTERN } from "@llm/tokenizer";
import { beforeAll, describe, expect, it } from "vitest";
import { factCompletion, factRecall } from "./fact-recall.js";

// byte-level: every fact is spelled out, so recall needs the name -> fact association itself
const tokenizer = BpeTokenizer.fromMerges([], { name: "bytes", pattern: GPT4_PATTERN });
const bos = tokenizer.specialId("<|bos|>");
const kb = generateKnowledgeBase({ seed: 4, count: 10 });
const T = 64;
const model = () =>
  new GPT(
    { vocabSize: tokenizer.vocabSize, nLayer: 2, nEmbd: 48, nHead: 2, seqLen: T, tieEmbeddings: true },
    { seed: 1 },
  );

beforeAll(async () => {
  await initBackend("wasm");
});

describe("factRecall", () => {
  it("asks for the fact the knowledge probe checks, from the documents' first sentence", () => {
    for (const entity of kb.entities) {
      const { prefix, key } = factCompletion(entity);
      const doc = factDocuments({ entities: [{ ...entity, split: "known-train" }] }, { copies: 30 }).map(
        (d) => d.text,
      );
      expect(doc.some((text) => text.startsWith(`${prefix} ${key}`))).toBe(true);
    }
  });

  it("finds no facts in an untrained model and the known ones in a model trained on the documents", async () => {
    const known = kb.entities.filter((e) => e.split.startsWith("known"));
    expect(known.map((e) => e.split)).toContain("known-eval");
    const untrained = model();
    const before = await factRecall(untrained, tokenizer, kb, bos);
    expect(before).toEqual({
      trainRecall: 0,
      evalRecall: 0,
      trainEntities: known.length - 1,
      evalEntities: 1,
    });
    untrained.dispose();

    const tokens = factDocuments(kb, { copies: 30, seed: 1 }).flatMap((d) => [
      bos,
      ...tokenizer.encode(d.text),
    ]);
    const trained = model();
    const trainer = new Trainer(trained, {
      totalSteps: 300,
      lr: 1e-2,
      warmupSteps: 10,
      weightDecay: 0,
      seed: 1,
    });
    await trainer.run(new InMemoryBatchSource({ tokens, batchSize: 8, seqLen: T, seed: 2 }));
    trainer.dispose();
    const after = await factRecall(trained, tokenizer, kb, bos);
    expect(after.trainRecall).toBeGreaterThanOrEqual(0.75);
    expect(after.evalRecall).toBe(1);
    trained.dispose();
  }, 60_000);
});
