import { initBackend } from "@llm/model";
import { generateKnowledgeBase } from "@llm/sft";
import { beforeAll, describe, expect, it } from "vitest";
import {
  byteBos as bos,
  byteTokenizer as tokenizer,
  trainFactModel,
} from "./__fixtures__/train-fact-model.js";
import { nameFamiliarity, unfamiliarEntities } from "./name-familiarity.js";

const kb = generateKnowledgeBase({ seed: 6, count: 24 });

beforeAll(async () => {
  await initBackend("wasm");
});

describe("nameFamiliarity", () => {
  it("scores the names a model has read above the names it has not", async () => {
    const trained = await trainFactModel(kb, 20, 150);
    const score = new Map<string, number>();
    for (const e of kb.entities) score.set(e.name, await nameFamiliarity(trained, tokenizer, bos, e));
    trained.dispose();
    const mean = (known: boolean) => {
      const values = kb.entities
        .filter((e) => e.split.startsWith("known") === known)
        .map((e) => score.get(e.name)!);
      return values.reduce((a, b) => a + b, 0) / values.length;
    };
    // log-probabilities: every score is below 0, a read name's much nearer to it
    for (const value of score.values()) expect(value).toBeLessThan(0);
    expect(mean(true)).toBeGreaterThan(mean(false) + 1);

    // with the threshold at the top of the never-read names, few read names fall under it
    const unfamiliar = unfamiliarEntities(kb, (e) => score.get(e.name)!, 0.99);
    const knownTrain = kb.entities.filter((e) => e.split === "known-train");
    expect(unfamiliar.knownTrain).toBe(knownTrain.length);
    expect(unfamiliar.names.length).toBeLessThan(knownTrain.length / 2);
    for (const name of unfamiliar.names) expect(score.get(name)!).toBeLessThanOrEqual(unfamiliar.threshold);
  }, 60_000);

  it("rejects a quantile outside (0, 1), naming the setting", () => {
    for (const q of [0, 1, Number.NaN]) {
      expect(() => unfamiliarEntities(kb, () => 0, q, "sft.knowledge.refusalFromBase")).toThrow(
        /sft.knowledge.refusalFromBase/,
      );
      expect(() => unfamiliarEntities(kb, () => 0, q)).toThrow(/quantile must be between 0 and 1/);
    }
  });
});
