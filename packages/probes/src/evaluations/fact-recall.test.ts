import { initBackend } from "@llm/model";
import { factDocuments, generateKnowledgeBase } from "@llm/sft";
import { beforeAll, describe, expect, it } from "vitest";
import {
  byteBos as bos,
  tinyFactModel,
  byteTokenizer as tokenizer,
  trainFactModel,
} from "./__fixtures__/train-fact-model.js";
import { factCompletion, factRecall } from "./fact-recall.js";

const kb = generateKnowledgeBase({ seed: 4, count: 10 });

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
    const untrained = tinyFactModel();
    const before = await factRecall(untrained, tokenizer, kb, bos);
    expect(before).toEqual({
      trainRecall: 0,
      evalRecall: 0,
      trainEntities: known.length - 1,
      evalEntities: 1,
    });
    untrained.dispose();

    const trained = await trainFactModel(kb, 30, 300);
    const after = await factRecall(trained, tokenizer, kb, bos);
    expect(after.trainRecall).toBeGreaterThanOrEqual(0.75);
    expect(after.evalRecall).toBe(1);
    trained.dispose();
  }, 60_000);
});
