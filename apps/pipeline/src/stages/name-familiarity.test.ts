import { initBackend } from "@llm/model";
import { generateKnowledgeBase, knowledgeConversations } from "@llm/sft";
import { beforeAll, describe, expect, it } from "vitest";
import { byteBos as bos, byteTokenizer as tokenizer, trainFactModel } from "../testing/train-fact-model.js";
import { nameFamiliarity, unfamiliarEntities, withRefusalsFor } from "./name-familiarity.js";

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

  it("relabels only the named known-train entities, and rejects a quantile outside (0, 1)", () => {
    const knownTrain = kb.entities.filter((e) => e.split === "known-train");
    const knownEval = kb.entities.find((e) => e.split === "known-eval")!;
    const chosen = [knownTrain[0]!.name, knownEval.name];
    const relabelled = withRefusalsFor(kb, chosen);
    const conversations = knowledgeConversations(relabelled).train;
    const about = (name: string) => conversations.find((c) => c.metadata?.entity === name);
    expect(about(knownTrain[0]!.name)?.messages[1]?.content).toBe(
      `I don't know anything about ${knownTrain[0]!.name}.`,
    );
    expect(about(knownTrain[1]!.name)?.source).toBe("knowledge");
    // the probe's held-out entities keep their split
    expect(relabelled.entities.find((e) => e.name === knownEval.name)?.split).toBe("known-eval");
    expect(kb.entities.find((e) => e.name === knownTrain[0]!.name)?.split).toBe("known-train");
    for (const q of [0, 1, Number.NaN]) {
      expect(() => unfamiliarEntities(kb, () => 0, q)).toThrow(/sft.knowledge.refusalFromBase/);
    }
  });
});
